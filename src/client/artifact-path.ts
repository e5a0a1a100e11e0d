/**
 * Encodes an artifact path for the URL: each segment is percent-encoded (spaces, '#', '?', '%') while the
 * '/' between segments stays, so `plots/roc curve.png` becomes `plots/roc%20curve.png`.
 */
export function encodeArtifactPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
