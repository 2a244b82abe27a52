/**
 * The booth will not start on this data folder as it is. The message is one line for the admin, in Chinese: what
 * is wrong and how to fix it. Shells print it without a stack trace and exit non-zero.
 */
export class StartupRefusal extends Error {
  override name = 'StartupRefusal'
}
