export * from './user-registered';
export * from './kyc-submitted';
export * from './kyc-approved';
export * from './kyc-rejected';
export * from './role-granted';
export * from './role-revoked';
export * from './talent-screened';
export * from './organization-created';
