import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'data/**', 'data-demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only the Electron shell and the preload may import electron: everything else must run in plain Node.
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/shell/electron.ts and src/preload may import electron.' }] }]
    }
  },
  {
    // Raw wire JSON from the other side: the simulator and the tests inspect it loosely on purpose.
    files: ['src/sim/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    // Only the store implementations touch the database: every other module calls a repo method (docs/architecture.md).
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/booth/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only src/main/shell/electron.ts and src/preload may import electron.' },
            { name: 'better-sqlite3', message: 'Only src/main/booth/store opens the database; add a repo method there.' }
          ]
        }
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name=/^(db|transaction)$/][object.name=/store$/i], MemberExpression[property.name=/^(db|transaction)$/][object.property.name=/store$/i]",
          message: 'No raw database handle or transaction outside src/main/booth/store: make the write one repo method there.'
        }
      ]
    }
  },
  {
    files: ['src/main/shell/electron.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' }
  }
)
