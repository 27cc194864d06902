-- One database per service (each service is the only writer of its own database).
-- Run by the postgres image on first start (/docker-entrypoint-initdb.d), as the
-- superuser; safe to run again by hand: `psql -U postgres -f init-databases.sql`.
SELECT 'CREATE DATABASE talent_identity'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'talent_identity')\gexec
SELECT 'CREATE DATABASE talent_jobs'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'talent_jobs')\gexec
SELECT 'CREATE DATABASE talent_matching'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'talent_matching')\gexec
SELECT 'CREATE DATABASE talent_referrals'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'talent_referrals')\gexec
SELECT 'CREATE DATABASE talent_rewards'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'talent_rewards')\gexec
SELECT 'CREATE DATABASE talent_payments'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'talent_payments')\gexec
SELECT 'CREATE DATABASE talent_governance'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'talent_governance')\gexec
SELECT 'CREATE DATABASE talent_partners'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'talent_partners')\gexec
