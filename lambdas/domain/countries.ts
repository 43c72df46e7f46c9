/**
 * The one country list: device registration (`country`) and segment conditions (`device_country`)
 * both validate with it, and the catalog hands it to the UI.
 *
 * Standard: ISO 3166-1 alpha-2, the 249 "officially assigned" codes of the ISO 3166 Maintenance
 * Agency (unchanged since SS was assigned in 2011; later changes only renamed countries, e.g. TR
 * 2022). Not accepted, being no country code of the standard: exceptionally reserved codes (UK, EU,
 * UN, AC, IC, …), transitionally reserved ones (AN, CS, …) and user-assigned ones (AA, QM–QZ,
 * XA–XZ, ZZ). That includes XK, which some platforms use for Kosovo: a device reporting it is
 * refused, as before; accepting it would be a product decision for both users of this list at once.
 * Kept in code, not read from Intl, so validation is identical on every runtime and ICU version.
 */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

const CODE_SET = new Set(COUNTRY_CODES);

/**
 * True for an assigned ISO 3166-1 alpha-2 code in any ASCII letter case ('de' and 'DE'; callers
 * store the upper case). Only two ASCII letters qualify: toUpperCase alone would let 'ß' pass as
 * 'SS' or the ligature 'ﬁ' as 'FI'.
 */
export function isCountryCode(code: string): boolean {
  return /^[A-Za-z]{2}$/.test(code) && CODE_SET.has(code.toUpperCase());
}
