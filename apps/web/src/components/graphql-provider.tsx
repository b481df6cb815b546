'use client';

import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { Provider } from 'urql';
import { ConnectionStore } from '@/lib/connection';
import { createBrowserClient, createServerPlaceholderClient } from '@/lib/graphql/client';

const ConnectionContext = createContext<ConnectionStore | undefined>(undefined);

/** The connection store of the page (for the indicator and the live views). */
export function useConnectionStore(): ConnectionStore {
  const store = useContext(ConnectionContext);
  if (!store) throw new Error('useConnectionStore outside GraphQLProvider');
  return store;
}

/**
 * Gives client components an urql client: on the server a silent one (they render their loading
 * state), in the browser the real one, made once per page load.
 */
export function GraphQLProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => new ConnectionStore());
  const [client] = useState(() =>
    typeof window === 'undefined' ? createServerPlaceholderClient() : createBrowserClient(store),
  );
  useEffect(() => {
    // Back online after the laptop slept: try the stream again at once.
    const online = () => store.retryNow();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [store]);
  return (
    <ConnectionContext.Provider value={store}>
      <Provider value={client}>{children}</Provider>
    </ConnectionContext.Provider>
  );
}
