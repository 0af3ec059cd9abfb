/** Formats a count with its noun, such as "1 character" or "12 characters", for messages. */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
