/**
 * The X-Ray daemon of the AWS world. In Lambda with active tracing, Lambda records the function
 * segment itself and the code's X-Ray SDK sends its subsegments over UDP to the daemon at
 * AWS_XRAY_DAEMON_ADDRESS, one JSON document a datagram after a `{"format":"json","version":1}`
 * header line. This stand-in listens on loopback and keeps every document, so a test can read
 * the trace of an invocation as X-Ray would receive it.
 */
import dgram from 'node:dgram';

export interface TraceDocument {
  trace_id: string;
  id: string;
  parent_id?: string;
  name: string;
  type?: string;
  namespace?: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  error?: boolean;
  fault?: boolean;
  annotations?: Record<string, string | number | boolean>;
  aws?: Record<string, unknown>;
  subsegments?: TraceDocument[];
}

const HEADER = { format: 'json', version: 1 };

export class XRayDaemonStandIn {
  readonly documents: TraceDocument[] = [];
  /** Datagrams that were not a header line and a JSON document (a fault of the sender). */
  readonly malformed: string[] = [];
  private readonly socket = dgram.createSocket('udp4');
  private readonly waiters = new Set<() => void>();

  /** Bind on loopback; resolves with the `host:port` for AWS_XRAY_DAEMON_ADDRESS. */
  async listen(): Promise<string> {
    this.socket.on('message', (msg) => this.receive(msg.toString('utf8')));
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    const { address, port } = this.socket.address();
    return `${address}:${port}`;
  }

  private receive(datagram: string): void {
    const newline = datagram.indexOf('\n');
    try {
      const header = JSON.parse(datagram.slice(0, newline)) as unknown;
      if (newline < 0 || JSON.stringify(header) !== JSON.stringify(HEADER)) throw new Error('bad header');
      this.documents.push(JSON.parse(datagram.slice(newline + 1)) as TraceDocument);
    } catch {
      this.malformed.push(datagram);
    }
    for (const check of this.waiters) check();
  }

  /**
   * The segments of a trace once `done` holds for them. Datagrams travel apart from the invocation's
   * answer, so a test waits for what it expects to arrive; after `timeoutMs` it fails with what did.
   */
  waitFor(traceId: string, done: (segments: TraceDocument[]) => boolean, timeoutMs = 10_000): Promise<TraceDocument[]> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        this.waiters.delete(check);
        clearTimeout(timer);
      };
      const check = () => {
        const segments = this.segmentsOf(traceId);
        if (!done(segments)) return;
        finish();
        resolve(segments);
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`trace ${traceId} incomplete after ${timeoutMs} ms: ${JSON.stringify(this.segmentsOf(traceId).map((d) => d.name))}`),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Every (sub)segment received for a trace, nested ones flattened, in arrival order. */
  segmentsOf(traceId: string): TraceDocument[] {
    const flat = (d: TraceDocument): TraceDocument[] => [d, ...(d.subsegments ?? []).flatMap((s) => flat({ ...s, trace_id: d.trace_id }))];
    return this.documents.filter((d) => d.trace_id === traceId).flatMap(flat);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
