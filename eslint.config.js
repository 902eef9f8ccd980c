// Lint: ESLint's and typescript-eslint's recommended rules; formatting is Prettier's job (eslint-config-prettier
// turns off the rules that would fight it). The data-flow rule for imports lives in test/layers.test.ts.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // src/kernels/assembly is AssemblyScript, compiled by asc (`npm run build:kernels`), not TypeScript.
  { ignores: ['dist/', 'node_modules/', 'audit-out/', 'test/fixtures/', 'data-samples/', 'src/kernels/assembly/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // `_name` marks a value left out on purpose (destructuring a field away, an unused callback argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
);
