import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { AddressRefused, WebhookAddresses, type WebhookReach } from './webhook-address.js';

/** Posts a signed webhook body; throws on a network error, a timeout or an answer other than 2xx. */
export interface WebhookSender {
  post(url: string, body: string, headers: Record<string, string>): Promise<void>;
}

const WEBHOOK_TIMEOUT_MS = 10_000;

/** request-filtering-agent's own refusal, for an address the guarded lookup let through: as final. */
const refusedByAgent = (error: Error) =>
  /^DNS lookup .* is not allowed/.test(error.message)
    ? new AddressRefused(`not connected: ${error.message}`)
    : error;

/**
 * Posts with node's http(s) client through request-filtering-agent, which refuses at connection time
 * an address that is not public, whatever the URL says; the name is resolved through the guarded
 * lookup, which refuses the same addresses first with a reason. A listed private host goes through
 * agents that let private addresses pass. 10-second limit, no redirects followed (a 3xx is a
 * failure), the answer discarded. A refused address throws AddressRefused without connecting.
 */
export class FilteringWebhookSender implements WebhookSender {
  private readonly addresses: WebhookAddresses;
  private readonly publicOnly = {
    'http:': new RequestFilteringHttpAgent(),
    'https:': new RequestFilteringHttpsAgent(),
  };
  private readonly listed = {
    'http:': new RequestFilteringHttpAgent({ allowPrivateIPAddress: true }),
    'https:': new RequestFilteringHttpsAgent({ allowPrivateIPAddress: true }),
  };

  constructor(reach: WebhookReach) {
    this.addresses = new WebhookAddresses(reach);
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<void> {
    const target = new URL(url);
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
      throw new AddressRefused(`not connected: ${target.protocol} is not a web address`);
    const refused = this.addresses.refusalOfText(target);
    if (refused) throw new AddressRefused(`not connected: ${refused}`);
    const listed = this.addresses.allows(target);
    const client = target.protocol === 'https:' ? https : http;
    await new Promise<void>((resolve, reject) => {
      const request = client.request(
        target,
        {
          method: 'POST',
          agent: (listed ? this.listed : this.publicOnly)[target.protocol as 'http:' | 'https:'],
          lookup: listed ? this.addresses.lookup : this.addresses.guardedLookup(),
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Accord-Status-Webhook',
            ...headers,
          },
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        },
        (response) => {
          const status = response.statusCode ?? 0;
          response.destroy();
          if (status < 200 || status > 299) reject(new Error(`the endpoint answered ${status}`));
          else resolve();
        },
      );
      request.on('error', (error) => reject(refusedByAgent(error)));
      request.end(body);
    });
  }
}
