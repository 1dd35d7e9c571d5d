// The error every screen shows as is. Its own module (no imports) so the
// screen tests' stand-in for api.ts can reuse the very same class.

/** An error to show as is: `message` is Simplified Chinese. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | null = null,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
