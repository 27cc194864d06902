export * from './await-projection';
export * from './membership';
export * from './governed-parameters';
