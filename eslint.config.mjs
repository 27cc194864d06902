// Lint for the whole workspace. Module boundaries come from the Nx project graph and the
// tags in each project's package.json: a service imports only its own scope and
// scope:shared (so apps never import each other), libs never import apps, contracts import
// nothing of ours, and the test harness (type:testing) is for tests only.
import { readdirSync, readFileSync } from 'node:fs';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Each app's `scope:<service>` tag; an app without one would escape the scope rule, so lint refuses to start. */
const SERVICES = readdirSync(new URL('./apps/', import.meta.url)).map((app) => {
  const tags = JSON.parse(readFileSync(new URL(`./apps/${app}/package.json`, import.meta.url), 'utf8')).nx?.tags ?? [];
  const scope = tags.find((tag) => tag.startsWith('scope:'));
  if (!scope) throw new Error(`apps/${app}/package.json has no scope:* tag`);
  return scope.slice('scope:'.length);
});

/** The depConstraints of @nx/enforce-module-boundaries; `tests` lets apps and libs use the harness. */
const boundaries = ({ tests }) => [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...SERVICES.map((service) => ({ sourceTag: `scope:${service}`, onlyDependOnLibsWithTags: [`scope:${service}`, 'scope:shared'] })),
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', ...(tests ? ['type:testing'] : [])] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', ...(tests ? ['type:testing'] : [])] },
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.d.ts', '.nx/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  // Prettier owns the layout (npm run format; lint checks it): no stylistic rule may disagree with it.
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: boundaries({ tests: false }),
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // Tests of any project may use the test harness.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allowCircularSelfDependency: true,
          depConstraints: boundaries({ tests: true }),
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
