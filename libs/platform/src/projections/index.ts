export * from './await-projection';
