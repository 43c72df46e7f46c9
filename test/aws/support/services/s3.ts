/**
 * S3 (REST-XML, path-style `/<bucket>/<key>`: what the SDK sends to an IP endpoint) over the
 * world's objects on disk, the same files the lake's Firehose writes and Athena reads (<dir>/<bucket>/<key>).
 * The operations a lake-maintenance function uses, each checked against the caller's statements as
 * S3 does: ListObjectsV2 (s3:ListBucket, with s3:prefix/s3:delimiter/s3:max-keys), GetObject and
 * HeadObject (s3:GetObject; a missing key is NoSuchKey 404 only with s3:ListBucket on the bucket,
 * AccessDenied 403 without), PutObject (s3:PutObject; Content-MD5, x-amz-checksum-* and aws-chunked
 * bodies checked), CopyObject (s3:GetObject on the source and s3:PutObject on the destination),
 * DeleteObject and DeleteObjects (s3:DeleteObject per key; a refused key is an <Error> entry of the
 * answer, as S3 reports it). Anything else answers NotImplemented rather than something S3 would not.
 */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { authorize, escapeXml, ServiceError, type BoxRequest, type BoxResponse, type Caller, type Service } from '../box';
import { AccessDenied, allows, type ConditionContext } from '../iam';
import { isTransient, type Lake } from './lake';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const MAX_KEYS = 1000;

interface ObjectMeta {
  contentType: string;
  metadata: Record<string, string>;
}

interface Head {
  file: string;
  stat: Stats;
  etag: string;
  meta: ObjectMeta;
}

export type Denial = { caller: string; action: string; resource: string };

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
/** S3 keeps LastModified to the second. */
const lastModified = (stat: Stats) => new Date(Math.floor(stat.mtimeMs / 1000) * 1000);
/** S3 orders keys by their UTF-8 bytes. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function notModelled(what: string): ServiceError {
  return new ServiceError('NotImplemented', `the AWS world's S3 does not model ${what}`, 501);
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e];
  });
}

/** One byte range of a GET (`bytes=a-b`, `bytes=a-`, `bytes=-n`) as [start, end]; undefined when S3 ignores it. */
function parseRange(text: string, size: number): [number, number] | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(text.trim());
  if (!m || (m[1] === '' && m[2] === '')) {
    if (text.includes(',')) throw notModelled(`the Range '${text}' (one byte range is)`);
    return undefined; // not a byte range S3 understands: the whole object, as HTTP says
  }
  const unsatisfiable = () => new ServiceError('InvalidRange', 'The requested range is not satisfiable', 416);
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) throw unsatisfiable();
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return [start, m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
}

function crc32Base64(body: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(body) >>> 0);
  return b.toString('base64');
}

export class S3StandIn implements Service {
  readonly protocol = 'restXml' as const;
  readonly accessDeniedCode = 'AccessDenied';
  /** Content-Type and user metadata of the objects written through S3 (others have S3's defaults). */
  private readonly meta = new Map<string, ObjectMeta>();
  private readonly etags = new Map<string, { mtimeMs: number; size: number; etag: string }>();

  constructor(
    private readonly lake: Lake,
    /** Records a denial S3 reports inside a successful answer (DeleteObjects' per-key errors). */
    private readonly onDenied: (d: Denial) => void = () => undefined,
  ) {}

  async handle(req: BoxRequest): Promise<BoxResponse> {
    const slash = req.path.indexOf('/', 1);
    const bucket = slash === -1 ? req.path.slice(1) : req.path.slice(1, slash);
    const key = slash === -1 ? '' : req.path.slice(slash + 1);
    if (!bucket) throw notModelled('ListBuckets');
    if (!this.lake.buckets.has(bucket)) throw new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404);
    const sub = [...req.query.keys()].filter((k) => k !== 'x-id');
    if (key === '') {
      if (req.method === 'GET' && req.query.get('list-type') === '2') return this.list(req, bucket);
      if (req.method === 'POST' && sub.length === 1 && sub[0] === 'delete') return this.deleteObjects(req, bucket);
      throw notModelled(`${req.method} on a bucket${sub.length ? ` with ?${sub.join('&')}` : ''}`);
    }
    if (sub.length) throw notModelled(`object subresources or response overrides (?${sub.join('&')})`);
    if (key.endsWith('/') || key.split('/').some((s) => s === '' || s === '.' || s === '..') || isTransient(path.basename(key))) {
      throw notModelled(`the key '${key}' (objects are files of the lake directory: no empty, '.' or '..' segment, no trailing '/')`);
    }
    switch (req.method) {
      case 'GET':
      case 'HEAD':
        return this.get(req, bucket, key);
      case 'PUT':
        return req.headers['x-amz-copy-source'] !== undefined ? this.copy(req, bucket, key) : this.put(req, bucket, key);
      case 'DELETE':
        authorize(req.caller, 's3:DeleteObject', objectArn(bucket, key));
        await this.remove(bucket, key);
        return { status: 204 };
      default:
        throw notModelled(`${req.method} on an object`);
    }
  }

  /** The object, or undefined when there is none. */
  private async head(bucket: string, key: string): Promise<Head | undefined> {
    const file = this.lake.objectPath(bucket, key);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) return undefined;
    return {
      file,
      stat,
      etag: await this.etag(file, stat),
      meta: this.meta.get(`${bucket}/${key}`) ?? { contentType: 'binary/octet-stream', metadata: {} },
    };
  }

  /** A single-part object's ETag: the MD5 of its bytes, quoted. */
  private async etag(file: string, stat: Stats): Promise<string> {
    const cached = this.etags.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.etag;
    const etag = `"${createHash('md5')
      .update(await fs.readFile(file))
      .digest('hex')}"`;
    this.etags.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, etag });
    return etag;
  }

  /**
   * A key that is not there: NoSuchKey when the caller may list the bucket, else AccessDenied, so
   * that a caller without s3:ListBucket cannot learn which keys exist (S3's documented behaviour).
   */
  private missing(caller: Caller, bucket: string, key: string): Error {
    if (allows(caller.statements, { action: 's3:ListBucket', resource: bucketArn(bucket) }))
      return new ServiceError('NoSuchKey', `The specified key does not exist. (${key})`, 404);
    return new AccessDenied(caller.principal, { action: 's3:ListBucket', resource: bucketArn(bucket) });
  }

  private objectHeaders(h: Head): Record<string, string> {
    return {
      'content-type': h.meta.contentType,
      etag: h.etag,
      'last-modified': lastModified(h.stat).toUTCString(),
      'accept-ranges': 'bytes',
      ...Object.fromEntries(Object.entries(h.meta.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    };
  }

  private async get(req: BoxRequest, bucket: string, key: string): Promise<BoxResponse> {
    authorize(req.caller, 's3:GetObject', objectArn(bucket, key));
    const h = await this.head(bucket, key);
    if (!h) throw this.missing(req.caller, bucket, key);
    const headers = this.objectHeaders(h);
    const size = h.stat.size;
    const whole = { status: 200, headers: { ...headers, 'content-length': String(size) } };
    const range = req.headers.range === undefined ? undefined : parseRange(req.headers.range, size);
    if (range === undefined) return req.method === 'HEAD' ? whole : { ...whole, body: await fs.readFile(h.file) };
    const [start, end] = range;
    const partHeaders = { ...headers, 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${size}` };
    if (req.method === 'HEAD') return { status: 206, headers: partHeaders };
    return { status: 206, headers: partHeaders, body: (await fs.readFile(h.file)).subarray(start, end + 1) };
  }

  /** The payload of a PUT: aws-chunked bodies decoded, every checksum the request carries verified. */
  private payload(req: BoxRequest): Buffer {
    const h = req.headers;
    let body = req.body;
    const trailers: Record<string, string> = {};
    const sha = h['x-amz-content-sha256'];
    if (
      (h['content-encoding'] ?? '')
        .split(',')
        .map((s) => s.trim())
        .includes('aws-chunked') ||
      sha?.startsWith('STREAMING-')
    ) {
      const parts: Buffer[] = [];
      let at = 0;
      for (;;) {
        const eol = body.indexOf('\r\n', at);
        if (eol === -1) throw new ServiceError('IncompleteBody', 'The request body terminated unexpectedly');
        const size = parseInt(body.subarray(at, eol).toString('latin1').split(';')[0], 16);
        if (Number.isNaN(size)) throw new ServiceError('InvalidRequest', 'Invalid chunk encoding');
        at = eol + 2;
        if (size === 0) break;
        parts.push(body.subarray(at, at + size));
        at += size + 2;
      }
      for (const line of body.subarray(at).toString('latin1').split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) trailers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      body = Buffer.concat(parts);
      const declared = h['x-amz-decoded-content-length'];
      if (declared === undefined) throw new ServiceError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
      if (Number(declared) !== body.length)
        throw new ServiceError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
    } else if (sha && sha !== 'UNSIGNED-PAYLOAD' && sha !== createHash('sha256').update(body).digest('hex')) {
      throw new ServiceError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    const md5 = h['content-md5'];
    if (md5 !== undefined) {
      if (Buffer.from(md5, 'base64').length !== 16) throw new ServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.');
      if (md5 !== createHash('md5').update(body).digest('base64'))
        throw new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    const checks: Record<string, [string, () => string]> = {
      'x-amz-checksum-crc32': ['CRC32', () => crc32Base64(body)],
      'x-amz-checksum-sha1': ['SHA1', () => createHash('sha1').update(body).digest('base64')],
      'x-amz-checksum-sha256': ['SHA256', () => createHash('sha256').update(body).digest('base64')],
    };
    for (const [name, [label, compute]] of Object.entries(checks)) {
      const given = h[name] ?? trailers[name];
      if (given !== undefined && given !== compute())
        throw new ServiceError('BadDigest', `The ${label} you specified did not match the calculated checksum.`);
    }
    return body;
  }

  /** Metadata from the request headers (PutObject, CopyObject with REPLACE). */
  private requestMeta(req: BoxRequest): ObjectMeta {
    const metadata = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([k]) => k.startsWith('x-amz-meta-'))
        .map(([k, v]) => [k.slice('x-amz-meta-'.length), v]),
    );
    return { contentType: req.headers['content-type'] || 'binary/octet-stream', metadata };
  }

  /** Replace an object's file all at once (a reader never sees half of it). */
  private async write(bucket: string, key: string, fill: (tmp: string) => Promise<void>, meta: ObjectMeta): Promise<Head> {
    const file = this.lake.objectPath(bucket, key);
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      // An empty directory left by deleted keys under `key/` is no object; a full one is a conflict.
      if ((await fs.stat(file).catch(() => undefined))?.isDirectory()) await fs.rmdir(file);
    } catch {
      throw notModelled(
        `both the key '${key}' and keys under '${key}/' (or under a prefix that is itself an object): objects are files of the lake directory`,
      );
    }
    const tmp = path.join(path.dirname(file), `.box-tmp-${randomUUID()}`);
    await fill(tmp);
    await fs.rename(tmp, file);
    this.meta.set(`${bucket}/${key}`, meta);
    return (await this.head(bucket, key))!;
  }

  private async put(req: BoxRequest, bucket: string, key: string): Promise<BoxResponse> {
    authorize(req.caller, 's3:PutObject', objectArn(bucket, key));
    if (
      Object.keys(req.headers).some(
        (k) => k.startsWith('x-amz-object-lock') || k === 'x-amz-tagging' || k === 'if-none-match' || k === 'if-match',
      )
    ) {
      throw notModelled('object lock, tagging or conditional writes on PutObject');
    }
    const body = this.payload(req);
    const h = await this.write(bucket, key, (tmp) => fs.writeFile(tmp, body), this.requestMeta(req));
    const echo = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => k.startsWith('x-amz-checksum-') && k !== 'x-amz-checksum-type'),
    );
    return { status: 200, headers: { etag: h.etag, 'x-amz-server-side-encryption': 'AES256', ...echo } };
  }

  private async copy(req: BoxRequest, bucket: string, key: string): Promise<BoxResponse> {
    const source = req.headers['x-amz-copy-source'].replace(/^\//, '');
    if (source.includes('?')) throw notModelled('copying an object version (?versionId=)');
    const slash = source.indexOf('/');
    if (slash <= 0) throw new ServiceError('InvalidArgument', 'Invalid copy source object key');
    const srcBucket = source.slice(0, slash);
    let srcKey: string;
    try {
      srcKey = decodeURIComponent(source.slice(slash + 1));
    } catch {
      throw new ServiceError('InvalidArgument', 'Invalid copy source encoding');
    }
    if (
      Object.keys(req.headers).some(
        (k) => k.startsWith('x-amz-copy-source-if-') || k === 'x-amz-tagging-directive' || k.startsWith('x-amz-object-lock'),
      )
    ) {
      throw notModelled('conditional copies, tagging or object lock on CopyObject');
    }
    if (!this.lake.buckets.has(srcBucket)) throw new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404);
    authorize(req.caller, 's3:GetObject', objectArn(srcBucket, srcKey));
    authorize(req.caller, 's3:PutObject', objectArn(bucket, key));
    const src = await this.head(srcBucket, srcKey);
    if (!src) throw this.missing(req.caller, srcBucket, srcKey);
    const directive = (req.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase();
    if (directive !== 'COPY' && directive !== 'REPLACE') throw new ServiceError('InvalidArgument', 'Unknown metadata directive.');
    if (srcBucket === bucket && srcKey === key && directive === 'COPY') {
      throw new ServiceError(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const meta = directive === 'REPLACE' ? this.requestMeta(req) : { ...src.meta, metadata: { ...src.meta.metadata } };
    const h = await this.write(bucket, key, (tmp) => fs.copyFile(src.file, tmp), meta);
    const body = `${XML_HEAD}<CopyObjectResult xmlns="${NS}"><LastModified>${lastModified(h.stat).toISOString()}</LastModified><ETag>${escapeXml(h.etag)}</ETag></CopyObjectResult>`;
    return { status: 200, headers: { 'content-type': 'application/xml', 'x-amz-server-side-encryption': 'AES256' }, body };
  }

  private async remove(bucket: string, key: string): Promise<void> {
    // Empty directories stay: they are no objects, and a concurrent writer may be about to fill one.
    const file = this.lake.objectPath(bucket, key);
    if ((await fs.stat(file).catch(() => undefined))?.isFile()) await fs.rm(file, { force: true });
    this.meta.delete(`${bucket}/${key}`);
  }

  private async deleteObjects(req: BoxRequest, bucket: string): Promise<BoxResponse> {
    const h = req.headers;
    if (h['content-md5'] === undefined && !Object.keys(h).some((k) => k.startsWith('x-amz-checksum-') && k !== 'x-amz-checksum-type')) {
      throw new ServiceError('InvalidRequest', 'Missing required header for this request: Content-MD5');
    }
    const text = this.payload(req).toString('utf8');
    const root = /<Delete(?:\s[^>]*)?>([\s\S]*)<\/Delete>/.exec(text);
    const malformed = () =>
      new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    if (!root) throw malformed();
    const objects = [...root[1].matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => {
      const k = /<Key>([\s\S]*?)<\/Key>/.exec(m[1]);
      if (!k) throw malformed();
      if (/<VersionId>/.test(m[1])) throw notModelled('deleting object versions');
      return unescapeXml(k[1]);
    });
    if (objects.length === 0 || objects.length > 1000) throw malformed();
    const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(root[1]);
    const out: string[] = [];
    for (const key of objects) {
      const resource = objectArn(bucket, key);
      if (!allows(req.caller.statements, { action: 's3:DeleteObject', resource })) {
        this.onDenied({ caller: req.caller.functionName, action: 's3:DeleteObject', resource });
        out.push(`<Error><Key>${escapeXml(key)}</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`);
        continue;
      }
      await this.remove(bucket, key);
      if (!quiet) out.push(`<Deleted><Key>${escapeXml(key)}</Key></Deleted>`);
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `${XML_HEAD}<DeleteResult xmlns="${NS}">${out.join('')}</DeleteResult>`,
    };
  }

  private async list(req: BoxRequest, bucket: string): Promise<BoxResponse> {
    const q = req.query;
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const context: ConditionContext = {};
    if (q.has('prefix')) context['s3:prefix'] = prefix;
    if (q.has('delimiter')) context['s3:delimiter'] = delimiter;
    if (q.has('max-keys')) context['s3:max-keys'] = q.get('max-keys')!;
    authorize(req.caller, 's3:ListBucket', bucketArn(bucket), context);
    const maxText = q.get('max-keys');
    if (maxText !== null && !/^\d+$/.test(maxText))
      throw new ServiceError('InvalidArgument', 'Provided max-keys not an integer or within integer range');
    const maxKeys = Math.min(MAX_KEYS, maxText === null ? MAX_KEYS : Number(maxText));
    const encoding = q.get('encoding-type');
    if (encoding !== null && encoding !== 'url') throw new ServiceError('InvalidArgument', 'Invalid Encoding Method specified in Request');
    if (q.has('fetch-owner') || q.has('optional-object-attributes')) throw notModelled('fetch-owner or optional object attributes');
    // Where this page starts: after the last entry of the previous one (a continuation token), or start-after.
    const token = q.get('continuation-token');
    let after = q.get('start-after') ?? '';
    let skipUnder = false;
    if (token !== null) {
      try {
        const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
        if (typeof t.a !== 'string' || t.b !== bucket) throw new Error('token');
        after = t.a;
        skipUnder = t.p === true;
      } catch {
        throw new ServiceError('InvalidArgument', 'The continuation token provided is incorrect');
      }
    }
    const keys = (await this.lake.keys(bucket, prefix))
      .filter((k) => byteOrder(k, after) > 0 && !(skipUnder && k.startsWith(after)))
      .sort(byteOrder);
    // Keys and common prefixes in order (the keys under a common prefix are contiguous, so it takes their first place).
    const entries: { name: string; prefix: boolean }[] = [];
    for (const k of keys) {
      const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
      if (cut === -1) entries.push({ name: k, prefix: false });
      else {
        const common = k.slice(0, cut + delimiter.length);
        if (entries.at(-1)?.name !== common) entries.push({ name: common, prefix: true });
      }
    }
    const page = entries.slice(0, maxKeys);
    const truncated = maxKeys > 0 && entries.length > page.length;
    const enc = (s: string) => (encoding === 'url' ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
    const x = (s: string) => escapeXml(enc(s));
    const contents: string[] = [];
    for (const e of page.filter((p) => !p.prefix)) {
      const h = await this.head(bucket, e.name);
      if (!h) continue; // deleted while listing
      contents.push(
        `<Contents><Key>${x(e.name)}</Key><LastModified>${lastModified(h.stat).toISOString()}</LastModified><ETag>${escapeXml(h.etag)}</ETag><Size>${h.stat.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      );
    }
    const last = page.at(-1);
    const next =
      truncated && last ? Buffer.from(JSON.stringify({ b: bucket, a: last.name, p: last.prefix })).toString('base64url') : undefined;
    const body = [
      `${XML_HEAD}<ListBucketResult xmlns="${NS}">`,
      `<Name>${escapeXml(bucket)}</Name><Prefix>${x(prefix)}</Prefix>`,
      token !== null ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : '',
      next ? `<NextContinuationToken>${next}</NextContinuationToken>` : '',
      q.has('start-after') ? `<StartAfter>${x(q.get('start-after')!)}</StartAfter>` : '',
      `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>`,
      delimiter ? `<Delimiter>${x(delimiter)}</Delimiter>` : '',
      encoding ? `<EncodingType>${encoding}</EncodingType>` : '',
      `<IsTruncated>${truncated}</IsTruncated>`,
      ...contents,
      ...page.filter((p) => p.prefix).map((p) => `<CommonPrefixes><Prefix>${x(p.name)}</Prefix></CommonPrefixes>`),
      '</ListBucketResult>',
    ].join('');
    return { status: 200, headers: { 'content-type': 'application/xml' }, body };
  }
}
