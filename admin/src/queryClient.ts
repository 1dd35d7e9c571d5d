import { QueryClient } from '@tanstack/react-query';
import { AdminError } from './services/client';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      retry: (n, e) => n < 1 && !(e instanceof AdminError && e.status > 0 && e.status < 500),
    },
  },
});
