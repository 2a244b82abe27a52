import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { configSchema, type GateConfig } from './schema'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Validates a parsed config; the error names every bad field by its path, e.g. `lanes[0].gateCode`. */
export function parseConfig(raw: unknown, baseDir: string): GateConfig {
  const result = configSchema.safeParse(raw)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    throw new ConfigError(`invalid config: ${problems.join('; ')}`)
  }
  const config = result.data
  return { ...config, dataDir: isAbsolute(config.dataDir) ? config.dataDir : resolve(baseDir, config.dataDir) }
}

export function loadConfigFile(file: string): GateConfig {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read config ${file}: ${(error as Error).message}`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`config ${file} is not valid JSON: ${(error as Error).message}`)
  }
  return parseConfig(raw, dirname(resolve(file)))
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)'
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '')
}
