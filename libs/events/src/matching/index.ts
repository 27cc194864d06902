export * from './talent-profile-updated';
export * from './matches-proposed';
