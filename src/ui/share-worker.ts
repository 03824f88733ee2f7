/**
 * A small worker for share links of big experiments: encoding (LZ compression) and the check that the
 * link opens again (decompression and the schema's parse) take the main thread over 100 ms for 20,000
 * explicit points, so the page asks here instead (shareLink.ts). Also decodes big links.
 */
import '../core/zod-setup';
import type { ExperimentConfig } from '../core/config';
import { checkedShare } from './limits';
import { decodeShare, type ViewState } from './share';
import { packArrays, unpackArrays } from '../worker/packed-arrays';

export type ShareRequest = { id: number; kind: 'check'; config: ExperimentConfig; view: ViewState } | { id: number; kind: 'decode'; hash: string };

self.onmessage = (e: MessageEvent<ShareRequest>) => {
  // Both ways, long arrays travel packed (worker/packed-arrays.ts: one copy instead of one per row).
  const m = unpackArrays(e.data);
  const result = m.kind === 'check' ? checkedShare(m.config, m.view) : decodeShare(m.hash);
  (self as unknown as Worker).postMessage({ id: m.id, result: packArrays(result) });
};
