/** A push subscription: one device of a shopper's app, as the mobile SDK registers it. */
import * as z from 'zod';
import { isCountryCode } from '../countries';
import { isTimeZone } from '../time-zones';
import { VERSION_PATTERN, versionKey } from '../version-key';
import type { DeviceRow } from '../lake-schema';

export const DEVICE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const deviceIdSchema = z.string().regex(DEVICE_ID_PATTERN, 'must match ^[A-Za-z0-9._:-]{1,128}$');

/** Body of PUT /v1/devices/{deviceId}. */
export const deviceRegistrationSchema = z.strictObject({
  platform: z.enum(['ios', 'android']),
  token: z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters'),
  optedIn: z.boolean(),
  country: z
    .string()
    .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code')
    .transform((c) => c.toUpperCase())
    .optional(),
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone').optional(),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 locale such as en-US')
    .optional(),
  appVersion: z.string().regex(VERSION_PATTERN, 'must look like 5.2.0 (one to three numeric parts)').optional(),
  customerId: z.string().min(1).max(128).optional(),
});

export type DeviceRegistration = z.output<typeof deviceRegistrationSchema>;
export type Platform = DeviceRegistration['platform'];

/** The stored device record (the token is kept but never echoed to clients). */
export interface Device {
  tenantId: string;
  deviceId: string;
  platform: Platform;
  token: string;
  optedIn: boolean;
  country: string | null;
  timezone: string | null;
  locale: string | null;
  appVersion: string | null;
  customerId: string | null;
  /** `invalid` once the provider reported the token unregistered; reset by a new token. */
  tokenState: 'valid' | 'invalid';
  /** SNS platform endpoint (AWS only). */
  endpointArn: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Apply a registration to what was stored before (latest write wins; a new token clears `invalid`). */
export function applyRegistration(
  previous: Device | undefined,
  tenantId: string,
  deviceId: string,
  reg: DeviceRegistration,
  now: Date,
): Device {
  const tokenChanged = !previous || previous.token !== reg.token || previous.platform !== reg.platform;
  return {
    tenantId,
    deviceId,
    platform: reg.platform,
    token: reg.token,
    optedIn: reg.optedIn,
    country: reg.country ?? null,
    timezone: reg.timezone ?? null,
    locale: reg.locale ?? null,
    appVersion: reg.appVersion ?? null,
    customerId: reg.customerId ?? null,
    tokenState: tokenChanged ? 'valid' : previous.tokenState,
    endpointArn: tokenChanged ? (previous?.platform === reg.platform ? previous.endpointArn : null) : previous.endpointArn,
    createdAt: previous?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** The device as the API shows it. */
export function publicDevice(d: Device) {
  return {
    deviceId: d.deviceId,
    platform: d.platform,
    optedIn: d.optedIn,
    country: d.country,
    timezone: d.timezone,
    locale: d.locale,
    appVersion: d.appVersion,
    customerId: d.customerId,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** The registration snapshot appended to the lake's devices table. */
export function deviceLakeRow(d: Device): DeviceRow {
  return {
    device_id: d.deviceId,
    platform: d.platform,
    opted_in: d.optedIn,
    country: d.country,
    timezone: d.timezone,
    locale: d.locale,
    app_version: d.appVersion,
    app_version_key: d.appVersion ? versionKey(d.appVersion) : null,
    customer_id: d.customerId,
    updated_at: d.updatedAt,
  };
}
