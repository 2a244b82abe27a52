import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

// Import rules per folder keep the roles apart (docs/architecture.md, "Import rules"):
//   shared ← renderer, preload, main; core ← booth, plant, roles, shell; booth, plant ← roles, shell.
// Only the store implementations import database drivers; only the Electron shell (and the preload) imports electron.
const electron = { name: 'electron', message: 'Only src/main/shell/electron.ts and src/preload may import electron.' }
const databaseDrivers = ['better-sqlite3', 'pg'].map((name) => ({ name, message: 'Only the store implementations (src/main/booth/store, src/main/plant/store) open a database; add a repo method there.' }))
const folders = (names, message) => ({ regex: `(^|/)(${names.join('|')})/`, message })

/** One no-restricted-imports rule for a folder: the packages and the folders it must not import. */
function importRule({ drivers = true, banned = [] }) {
  return ['error', { paths: [electron, ...(drivers ? databaseDrivers : [])], patterns: banned }]
}

const noRaw = {
  selector: "MemberExpression[property.name=/^(db|transaction)$/][object.name=/store$/i], MemberExpression[property.name=/^(db|transaction)$/][object.property.name=/store$/i]",
  message: 'No raw database handle or transaction outside src/main/booth/store: make the write one repo method there.'
}

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'data/**', 'data-demo/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': importRule({ drivers: false })
    }
  },
  {
    // Raw wire JSON from the other side: the simulator and the tests inspect it loosely on purpose.
    files: ['src/sim/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': importRule({ banned: [folders(['main', 'renderer', 'preload', 'sim'], 'src/shared is the contract: it imports nothing of the processes that use it.')] }) }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': importRule({ banned: [folders(['main', 'preload', 'sim'], 'The renderer reaches main only through the API contract (@shared/contract).')] }) }
  },
  {
    // A simulator is the independent other side of its protocol (docs/devices.md, "Simulators"): it speaks the wire
    // from the vendor's documentation, so it never imports the booth's code, codecs included.
    files: ['src/sim/**/*.ts'],
    rules: { 'no-restricted-imports': importRule({ banned: [folders(['main', 'renderer', 'preload'], 'src/sim is the device side: write it from the protocol document (src/sim/wire), never from the booth\'s code.')] }) }
  },
  {
    files: ['src/main/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', noRaw] }
  },
  {
    // The core areas run in both roles: they never import a role's code, the roles' composition or the shell.
    files: ['src/main/core/**/*.ts'],
    ignores: ['src/main/core/config/**'],
    rules: { 'no-restricted-imports': importRule({ banned: [folders(['booth', 'plant', 'roles', 'shell'], 'core/ is shared by the booth and the plant: depend on an interface here and let the role provide it.')] }) }
  },
  {
    // The booth's config file composes the device table's config schemas (booth/devices/kinds.ts, pure zod tables):
    // the one place core reads booth code. Nothing else of booth/, and no role or shell.
    files: ['src/main/core/config/**/*.ts'],
    rules: {
      'no-restricted-imports': importRule({
        banned: [
          { regex: '(^|/)booth/(?!devices(/kinds)?$)', message: 'core/config may only read the device table (booth/devices).' },
          folders(['plant', 'roles', 'shell'], 'core/ is shared by the booth and the plant.')
        ]
      })
    }
  },
  {
    files: ['src/main/booth/**/*.ts'],
    ignores: ['src/main/booth/store/**'],
    rules: { 'no-restricted-imports': importRule({ banned: [folders(['plant', 'roles', 'shell'], 'booth/ is one role: it never imports the plant, the roles\' composition or the shell.')] }) }
  },
  {
    files: ['src/main/booth/store/**/*.ts'],
    rules: {
      'no-restricted-imports': importRule({ drivers: false, banned: [folders(['plant', 'roles', 'shell'], 'booth/ is one role: it never imports the plant, the roles\' composition or the shell.')] }),
      'no-restricted-syntax': 'off'
    }
  },
  {
    files: ['src/main/plant/**/*.ts'],
    ignores: ['src/main/plant/store/**'],
    rules: { 'no-restricted-imports': importRule({ banned: [folders(['booth', 'roles', 'shell'], 'plant/ is one role: it never imports the booth, the roles\' composition or the shell.')] }) }
  },
  {
    files: ['src/main/shell/**/*.ts'],
    ignores: ['src/main/shell/electron.ts'],
    rules: { 'no-restricted-imports': importRule({}) }
  },
  {
    files: ['src/main/roles/**/*.ts'],
    rules: { 'no-restricted-imports': importRule({ banned: [folders(['shell'], 'A role is a list of areas: the shell starts it, not the other way round.')] }) }
  },
  {
    files: ['src/main/shell/electron.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': importRule({ drivers: true }).map((option) => (typeof option === 'object' ? { ...option, paths: databaseDrivers } : option)) }
  }
)
