export * from './user-registered';
export * from './kyc-submitted';
export * from './kyc-approved';
export * from './kyc-rejected';
export * from './role-granted';
export * from './talent-screened';
