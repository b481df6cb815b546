'use client';

import { useSyncExternalStore } from 'react';
import { useNow } from '@/hooks/use-now';
import { linkStatus } from '@/lib/connection';
import { useConnectionStore } from './graphql-provider';

const SERVER_SNAPSHOT = { stream: 'idle', retryAt: undefined, lastDataAt: undefined, apiDown: undefined } as const;

/** Shows whether live data flows, and what the page is doing about it when it does not. */
export function ConnectionIndicator() {
  const store = useConnectionStore();
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, () => SERVER_SNAPSHOT);
  const now = useNow(1000);
  const status = linkStatus(state, now || Date.now());
  let text: string;
  let tone: 'ok' | 'warn' | 'bad' | 'wait';
  switch (status.kind) {
    case 'live':
      text = 'Live';
      tone = 'ok';
      break;
    case 'connecting':
      text = 'Connecting…';
      tone = 'wait';
      break;
    case 'stale':
      text = `No data for ${status.silentForSeconds} s`;
      tone = 'warn';
      break;
    case 'api-down':
      text = 'API unreachable — reconnecting';
      tone = 'bad';
      break;
    case 'dashboard-down': {
      const seconds = status.retryAt ? Math.max(0, Math.ceil((status.retryAt - now) / 1000)) : 0;
      text = `Dashboard server unreachable — retrying${seconds > 0 ? ` in ${seconds} s` : '…'}`;
      tone = 'bad';
      break;
    }
  }
  return (
    <div className={`connection connection-${tone}`} data-testid="connection" data-status={status.kind}>
      <span className="connection-dot" aria-hidden="true" />
      <span role="status" aria-live="polite">
        {text}
      </span>
      {status.kind === 'api-down' ? <span className="connection-detail">{status.message}</span> : null}
      {status.kind === 'dashboard-down' ? (
        <button type="button" className="button button-small" onClick={() => store.retryNow()}>
          Reconnect now
        </button>
      ) : null}
    </div>
  );
}
