export { ApiFailure, createRouter, type CallContext, type Handlers, type Router } from './router'
export { EventBus, type EventListener } from './events'
export { startHttpHost, type HttpHost } from './http-host'
export { isTrustedSender } from './sender'
