export { defineArea, type Area, type AreaParts, type Provided, type ProvidedKey, type RootContext } from './area'
export { createRoot, RootBuilder, RootError, type Root, type RootOptions } from './root'
