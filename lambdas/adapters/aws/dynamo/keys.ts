/** Item keys of the records and deliveries tables, in one place. */
export const keys = {
  tenant: (t: string) => ({ pk: `TENANT#${t}`, sk: 'TENANT' }),
  appKey: (hash: string) => ({ pk: `APPKEY#${hash}`, sk: 'APPKEY' }),
  device: (t: string, d: string) => ({ pk: `T#${t}#DEV#${d}`, sk: 'DEVICE' }),
  /** Segments, campaigns, settings and estimates of a tenant share one partition: lists are queries. */
  tenantItems: (t: string) => `T#${t}`,
  segment: (t: string, id: string) => ({ pk: `T#${t}`, sk: `SEG#${id}` }),
  segmentName: (t: string, name: string) => ({ pk: `T#${t}`, sk: `SEGNAME#${name.trim().toLowerCase()}` }),
  campaign: (t: string, id: string) => ({ pk: `T#${t}`, sk: `CMP#${id}` }),
  settings: (t: string) => ({ pk: `T#${t}`, sk: 'SETTINGS' }),
  estimate: (t: string, id: string) => ({ pk: `T#${t}`, sk: `EST#${id}` }),
};

/** Keys of the deliveries table. */
export const deliveryKeys = {
  ledger: (t: string, campaignId: string, deviceId: string) => ({ pk: `T#${t}#CMP#${campaignId}`, sk: `DEV#${deviceId}` }),
  ledgerPartition: (t: string, campaignId: string) => `T#${t}#CMP#${campaignId}`,
  batch: (t: string, campaignId: string, batchId: string, milestone: string) => ({ pk: `T#${t}#CMP#${campaignId}`, sk: `BATCH#${milestone}#${batchId}` }),
  cap: (t: string, deviceId: string) => ({ pk: `T#${t}#DEV#${deviceId}`, sk: 'CAP' }),
};
