import type { AuditEntry, AuditListResponse, AuditQuery } from '../contracts/index.js';
import { API_PREFIX } from '../contracts/index.js';
import type { HttpClient } from './http.js';
import { paginate } from './paginate.js';

/** `client.audit`: who changed what, newest first as the server orders it. */
export class AuditApi {
  constructor(private readonly http: HttpClient) {}

  /** One page; pass `next_page_token` back as `page_token` for the next one. */
  list(query: AuditQuery = {}): Promise<AuditListResponse> {
    return this.http.json<AuditListResponse>('GET', `${API_PREFIX}/audit`, { query });
  }

  listAll(query: Omit<AuditQuery, 'page_token'> = {}): AsyncGenerator<AuditEntry, void, undefined> {
    return paginate(async (pageToken) => {
      const page = await this.list({ ...query, page_token: pageToken });
      return { items: page.entries, next: page.next_page_token };
    });
  }
}
