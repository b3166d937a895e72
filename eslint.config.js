import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'profiles/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['bench/**', '.ci/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The demonstration page's ES modules run in the browser.
    files: ['services/fhir-facade/demo/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
