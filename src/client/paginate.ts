/**
 * Walks a token-paged listing: yields every item of a page, then asks for the next page, until the
 * server stops returning a token. Pages are fetched only as the consumer asks for more.
 */
export async function* paginate<T>(
  fetchPage: (pageToken: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
): AsyncGenerator<T, void, undefined> {
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    yield* page.items;
    // A server repeating the same token would loop forever: treat it as the end.
    token = page.next && page.next !== token ? page.next : undefined;
  } while (token);
}
