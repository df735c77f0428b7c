/**
 * An error as the in-page checks report it: its message and stack. V8's stack starts with the message, but
 * Firefox's holds only the frames, and its DOMExceptions (GPU errors) have an empty stack.
 */
export function errorText(e: unknown): string {
  if (!(e instanceof Error) && !(typeof DOMException !== 'undefined' && e instanceof DOMException)) return String(e);
  const { name, message } = e as Error;
  const stack = (e as Error).stack ?? '';
  if (message && stack.includes(message)) return stack;
  return `${name}: ${message || '(no message)'}${stack ? `\n${stack}` : ' (no stack)'}`;
}
