// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import security from 'eslint-plugin-security';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'libs/*/dist/**',
      'coverage/**',
      'deploy/cdk.out/**',
      'test/fixtures/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  security.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            'libs/*/bin/*.js',
            'bench/*.js',
            'scripts/*.js',
            'deploy/*.js',
            'test/*/*.mjs',
            'test/helpers/*.js',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Object-injection flags every obj[key]; our maps are built from validated input.
      'security/detect-object-injection': 'off',
      // Regexes here are built from escaped, validated policy patterns, not user input.
      'security/detect-non-literal-regexp': 'off',
    },
  },
  {
    files: ['libs/gateway-auth/src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@nestjs/*',
                'express',
                'fastify',
                'reflect-metadata',
                'passport',
                'passport-*',
              ],
              message: 'core/ is framework-agnostic: adapters live in nest/ and express/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and benches: relax the type-aware rules that fight test doubles and JSON fixtures.
    files: [
      '**/*.spec.ts',
      '**/*.e2e-spec.ts',
      'test/**/*.ts',
      'scripts/**/*.ts',
      'bench/**/*.{ts,js}',
      '**/*.js',
      '**/*.mjs',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'security/detect-non-literal-fs-filename': 'off',
      'security/detect-child-process': 'off',
    },
  },
);
