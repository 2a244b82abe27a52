export { ApiFailure, createRouter, type Handlers, type Router } from './router'
export { EventBus, type EventListener } from './events'
export { startHttpHost, type HttpHost } from './http-host'
export { isTrustedSender } from './sender'
