// ESLint flat config: type-checked typescript-eslint rules for the TypeScript tree, import order and no-cycle everywhere.
import js from '@eslint/js';
import { createNodeResolver, flatConfigs as importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated, vendored or data trees: nothing here is code we write.
    ignores: [
      'node_modules/',
      'models/',
      'fixtures/',
      'coverage/',
      'data/',
      'runs/',
      '.cache/',
      'test-artifacts/',
      'scratch/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  importX.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json', '.node'] })],
    },
    rules: {
      'import-x/order': ['error', { groups: ['builtin', 'external', ['internal', 'parent', 'sibling', 'index']] }],
      'import-x/no-cycle': 'error',
      // A `let` that closures read before its single assignment (serve's registry) cannot be const: that read would throw.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // A leading underscore is this codebase's mark for "deliberately unused" (omitting keys by destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Plain JavaScript (the bin shim, this file, the dashboard's browser modules) is outside tsconfig: no type info.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read untyped JSON bodies (fetch().json(), res.body) and check them with expect(): typing each one
      // would only restate the assertion that follows.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Fakes implement async interfaces (encodeBatch, run, open) with synchronous bodies; async keeps them honest.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/dashboard/public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
);
