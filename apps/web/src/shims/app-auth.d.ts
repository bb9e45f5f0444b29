// The only thing the radio's event types take from @app/auth, so the client's type check does not
// pull the server's auth lib (Node, Nest) into a browser program.
export type Role = 'shopworker' | 'store_manager' | 'coordinator' | 'police' | 'analyst' | 'admin';
export interface Actor {
  kind: 'user' | 'device';
  id: string;
  partnershipId: string;
  role: Role;
  storeId: string | null;
  sessionId: string;
}
