import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Resolves a URL path against a folder and refuses anything that escapes it
 * ("..", encoded slashes, absolute paths). Used by the app:// protocol and the dev bridge.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = resolve(root);
  const target = resolve(base, '.' + sep + decoded.replace(/^[/\\]+/, ''));
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return target;
}
