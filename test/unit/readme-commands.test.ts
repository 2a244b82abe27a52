import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const readme = readFileSync(resolve(root, 'README.md'), 'utf8')
const scripts = Object.keys((JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)

/** Every script name the README tells a user to run: `npm run NAME …`, `npm start`, `npm test`. */
function commandsInReadme(): string[] {
  const named = [...readme.matchAll(/`npm (?:run )?([a-z][\w:-]*)/g)].map((match) => match[1]!)
  return [...new Set(named.filter((name) => !['ci', 'install'].includes(name)))]
}

describe('README command table', () => {
  it('names only scripts that package.json has', () => {
    const missing = commandsInReadme().filter((name) => !scripts.includes(name))
    expect(missing).toEqual([])
  })

  it('names every script package.json has', () => {
    const named = new Set(commandsInReadme())
    expect(scripts.filter((name) => !named.has(name))).toEqual([])
  })
})
