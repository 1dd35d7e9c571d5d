// zod errors → our 400 `{error:{field,message}}`, field as a dot/bracket
// path ("lines[0].quantity") like the SQL validators use.
import type { ZodError } from 'zod';
import { HttpError } from './http.ts';

export function fieldPath(path: (string | number)[]): string | null {
  if (path.length === 0) return null;
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key), '');
}

export function fieldError(error: ZodError): HttpError {
  const issue = error.issues[0];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    return new HttpError(400, fieldPath([...issue.path, issue.keys[0]]), '不支持的字段', 'invalid');
  }
  if (issue.code === 'invalid_type' && issue.received === 'undefined') message = '必填';
  else if (/^(Required|Expected|Invalid)/.test(message)) message = '格式不正确';
  return new HttpError(400, fieldPath(issue.path), message, 'invalid');
}
