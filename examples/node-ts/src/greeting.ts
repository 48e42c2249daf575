/** What the service answers: edit it and save to see a reload. */
export function greeting(): string {
  return 'hello from TypeScript';
}
