import type { Candidate, Detector } from '../types.js';

/**
 * LOCATION (street addresses): "1234 Elm Street, Apt 5, Springfield, IL 62704" (US style),
 * "Hauptstraße 12, 10115 Berlin" and "12 rue de la Paix, 75002 Paris" (European styles).
 * City names alone are not reported: too ambiguous without a gazetteer of places.
 */
const CAP = "\\p{Lu}[\\p{L}'’.-]*";
const SUFFIX =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Crescent|Close|Loop|Alley|Plaza|Row|Walk|Path|Pike|Run|Point|Ridge|Grove|Gardens|Heights|Hill|Park|Mews|View|Crossing|Station|Estates|Fort|Valley|Meadows|Landing';
const UNIT = "(?:,?\\s+(?:Apt\\.?|Apartment|Suite|Ste\\.?|Unit|Floor|Fl\\.?|#)\\s*[\\w-]+)?";
const US_TAIL = `(?:,\\s*${CAP}(?:\\s${CAP}){0,2}(?:,\\s*[A-Z]{2}|,\\s*${CAP}(?:\\s${CAP})?)?(?:,?\\s+\\d{5}(?:-\\d{4})?)?)?`;
const US = new RegExp(
  `(?<![\\w-])\\d{1,6}[A-Za-z]?\\s+(?:[NSEW]\\.?\\s+)?(?:(?:${CAP}|\\d{1,3}(?:st|nd|rd|th))\\s+){1,4}(?:${SUFFIX})\\.?(?:\\s(?:NW|NE|SW|SE|N|S|E|W)\\.?)?(?![\\p{L}])${UNIT}${US_TAIL}`,
  'gu',
);
const EU_WORD = "\\p{Lu}[\\p{L}-]*(?:straße|strasse|str\\.|weg|gasse|allee|platz|ring|damm|ufer|laan|straat|gracht|plein|kade|vej|gatan|gade|veien)";
const EU_PREFIX = `(?:${['rue', 'avenue', 'boulevard', 'bd', 'place', 'chemin', 'allée', 'impasse', 'quai', 'via', 'viale', 'piazza', 'corso', 'calle', 'avenida', 'paseo', 'plaza', 'rua', 'travessa', 'ulica', 'ul\\.']
  .map((w) => `[${w[0].toUpperCase()}${w[0]}]${w.slice(1)}`)
  .join('|')})`;
const EU = new RegExp(
  `(?<![\\p{L}])(?:(?:${EU_WORD})\\s+\\d{1,4}[a-z]?|\\d{1,4}(?:\\s?(?:bis|ter))?,?\\s+${EU_PREFIX}\\s+(?:(?:d[eu']|des|la|le|del|della|da|do|dos|di)\\s*)*${CAP}(?:\\s+${CAP}){0,3}|${EU_PREFIX}\\s+(?:(?:d[eu']|des|la|le|del|della|da|do|dos|di)\\s*)*${CAP}(?:\\s+${CAP}){0,3},?\\s+\\d{1,4}[a-z]?)(?:,\\s*(?:[A-Z]{1,2}-?)?\\d{4,5}\\s+${CAP}(?:[\\s-]${CAP}){0,2})?`,
  'gu',
);

export const locationDetector: Detector = {
  types: ['LOCATION'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of text.matchAll(US)) {
      const s = m[0].replace(/[\s,.]+$/, '');
      out.push({ type: 'LOCATION', start: m.index, end: m.index + s.length, score: /\d{5}/.test(s.slice(4)) ? 0.85 : 0.7, subtype: 'street_address' });
    }
    for (const m of text.matchAll(EU)) {
      const s = m[0].replace(/[\s,.]+$/, '');
      out.push({ type: 'LOCATION', start: m.index, end: m.index + s.length, score: 0.7, subtype: 'street_address' });
    }
    return out;
  },
};
