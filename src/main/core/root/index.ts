export { defineArea, type Area, type AreaParts, type Provided, type ProvidedKey, type RootContext } from './area'
export { createRoot, RootError, type Root, type RootOptions } from './root'
