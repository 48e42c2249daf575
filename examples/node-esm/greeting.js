/** What the service answers: edit it and save to see a reload. */
export function greeting() {
  return 'hello from an ES module';
}
