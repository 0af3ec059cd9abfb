/** URLs of the take pages. */
export const TAKES_PATH = '/takes';

export function takePath(id: number): string {
  return `${TAKES_PATH}/${id}`;
}

export function reviewPath(id: number): string {
  return `${TAKES_PATH}/${id}/review`;
}

/** Path of a take action such as `submit` or `publish`, which the take's forms post to. */
export function takeActionPath(id: number, action: string): string {
  return `${TAKES_PATH}/${id}/${action}`;
}

export function newTakePath(stixId: string): string {
  return `${TAKES_PATH}/new?object=${encodeURIComponent(stixId)}`;
}
