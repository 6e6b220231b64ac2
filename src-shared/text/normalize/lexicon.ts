// Word lists for normalisation. Keys are lower case unless said otherwise.

export interface Abbreviation {
  /** Expansion, lower case (capitalised when the source was). */
  exp: string;
  /** 'required': only with a following "."; 'optional': with or without. */
  dot: 'required' | 'optional';
  /** Only when the source starts with a capital ("Gen." yes, "gen." no). */
  cap?: boolean;
  /** Only before a number ("No. 5", "p. 12"). */
  beforeNumber?: boolean;
  /** Only before a capitalised word (a name): "Mt. Everest", "Fr. Brown". */
  beforeName?: boolean;
}

const A = (exp: string, dot: Abbreviation['dot'], extra: Partial<Abbreviation> = {}): Abbreviation => ({ exp, dot, ...extra });

/** "dr" and "st" are context-dependent and handled in code. */
export const ABBREVIATIONS: ReadonlyMap<string, Abbreviation> = new Map<string, Abbreviation>([
  ['mr', A('mister', 'optional', { cap: true })],
  ['mrs', A('missus', 'optional', { cap: true })],
  ['ms', A('miz', 'optional', { cap: true, beforeName: true })],
  ['mx', A('mix', 'optional', { cap: true, beforeName: true })],
  ['messrs', A('messieurs', 'optional', { cap: true })],
  ['prof', A('professor', 'required', { cap: true })],
  ['rev', A('reverend', 'required', { cap: true })],
  ['hon', A('honorable', 'required', { cap: true })],
  ['capt', A('captain', 'required', { cap: true })],
  ['gen', A('general', 'required', { cap: true, beforeName: true })],
  ['lt', A('lieutenant', 'required', { cap: true })],
  ['col', A('colonel', 'required', { cap: true, beforeName: true })],
  ['sgt', A('sergeant', 'optional', { cap: true })],
  ['cpl', A('corporal', 'required', { cap: true })],
  ['pvt', A('private', 'required', { cap: true })],
  ['maj', A('major', 'required', { cap: true })],
  ['cmdr', A('commander', 'required', { cap: true })],
  ['adm', A('admiral', 'required', { cap: true })],
  ['gov', A('governor', 'required', { cap: true, beforeName: true })],
  ['sen', A('senator', 'required', { cap: true, beforeName: true })],
  ['rep', A('representative', 'required', { cap: true, beforeName: true })],
  ['pres', A('president', 'required', { cap: true, beforeName: true })],
  ['supt', A('superintendent', 'required', { cap: true })],
  ['fr', A('father', 'required', { cap: true, beforeName: true })],
  ['sr', A('senior', 'required', { cap: true })],
  ['jr', A('junior', 'optional', { cap: true })],
  ['mt', A('mount', 'required', { cap: true, beforeName: true })],
  ['ft', A('fort', 'required', { cap: true, beforeName: true })],
  ['ave', A('avenue', 'required', { cap: true })],
  ['rd', A('road', 'required', { cap: true })],
  ['blvd', A('boulevard', 'optional', { cap: true })],
  ['hwy', A('highway', 'required', { cap: true })],
  ['dept', A('department', 'required')],
  ['univ', A('university', 'required')],
  ['inc', A('incorporated', 'required', { cap: true })],
  ['ltd', A('limited', 'required', { cap: true })],
  ['co', A('company', 'required', { cap: true })],
  ['corp', A('corporation', 'required', { cap: true })],
  ['bros', A('brothers', 'required', { cap: true })],
  ['assn', A('association', 'required')],
  ['est', A('established', 'required')],
  ['approx', A('approximately', 'required')],
  ['etc', A('et cetera', 'optional')],
  ['e.g', A('for example', 'optional')],
  ['i.e', A('that is', 'optional')],
  ['vs', A('versus', 'optional')],
  ['cf', A('compare', 'required')],
  ['viz', A('namely', 'required')],
  ['misc', A('miscellaneous', 'required')],
  ['no', A('number', 'required', { beforeNumber: true })],
  ['nos', A('numbers', 'required', { beforeNumber: true })],
  ['p', A('page', 'required', { beforeNumber: true })],
  ['pp', A('pages', 'required', { beforeNumber: true })],
  ['fig', A('figure', 'required')],
  ['figs', A('figures', 'required')],
  ['vol', A('volume', 'required')],
  ['vols', A('volumes', 'required')],
  ['ch', A('chapter', 'required', { beforeNumber: true })],
  ['chap', A('chapter', 'required')],
  ['art', A('article', 'required', { beforeNumber: true })],
  ['eq', A('equation', 'required', { beforeNumber: true })],
  ['sec', A('section', 'required', { beforeNumber: true })],
  ['jan', A('january', 'required', { cap: true })],
  ['feb', A('february', 'required', { cap: true })],
  ['mar', A('march', 'required', { cap: true })],
  ['apr', A('april', 'required', { cap: true })],
  ['jun', A('june', 'required', { cap: true })],
  ['jul', A('july', 'required', { cap: true })],
  ['aug', A('august', 'required', { cap: true })],
  ['sep', A('september', 'required', { cap: true })],
  ['sept', A('september', 'required', { cap: true })],
  ['oct', A('october', 'required', { cap: true })],
  ['nov', A('november', 'required', { cap: true })],
  ['dec', A('december', 'required', { cap: true })],
  ['mon', A('monday', 'required', { cap: true })],
  ['tue', A('tuesday', 'required', { cap: true })],
  ['tues', A('tuesday', 'required', { cap: true })],
  ['thu', A('thursday', 'required', { cap: true })],
  ['thur', A('thursday', 'required', { cap: true })],
  ['thurs', A('thursday', 'required', { cap: true })],
  ['fri', A('friday', 'required', { cap: true })],
  ['w/', A('with', 'optional')],
  ['w/o', A('without', 'optional')],
]);

/** Full month names (capitalised in the source) and their number. */
export const MONTHS: readonly string[] = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December',
];
const MONTH_ABBR: Record<string, number> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Sept: 9, Oct: 10, Nov: 11, Dec: 12,
};
/** Month number (1-12) of a capitalised month name or abbreviation, else 0. */
export function monthNumber(word: string): number {
  const full = MONTHS.indexOf(word);
  if (full >= 0) return full + 1;
  return MONTH_ABBR[word] ?? 0;
}

/** All-caps words read as words, not letters. */
export const WORD_ACRONYMS: ReadonlySet<string> = new Set([
  'NASA', 'NATO', 'UNESCO', 'UNICEF', 'OPEC', 'FIFA', 'UEFA', 'NAFTA', 'LASER', 'RADAR', 'SCUBA', 'AIDS',
  'SARS', 'COVID', 'GIF', 'JPEG', 'PIN', 'SIM', 'RAM', 'ROM', 'CAPTCHA', 'DARPA', 'NASDAQ', 'IKEA', 'LEGO',
  'ASCII', 'LAN', 'WAN', 'SWAT', 'ZIP', 'POTUS', 'SCOTUS', 'FLOTUS', 'OSHA', 'FEMA', 'INTERPOL', 'CERN',
  'MIDI', 'YAML', 'JSON', 'NIMBY', 'TED', 'ISIS', 'ANSI', 'UNIX', 'LINUX', 'IMAX', 'BASIC', 'COBOL',
  'FORTRAN', 'TOEFL', 'DOS', 'MOMA', 'NAND', 'SONAR', 'ASAP', 'GIFS', 'PINS', 'WASM', 'UNIX', 'OLED',
  'WIFI', 'EXIF', 'CAD', 'FOMO', 'YOLO', 'ERASMUS', 'ECOWAS', 'ASEAN', 'MERCOSUR', 'APEC', 'SEATO',
]);

/** Short all-caps words that contain vowels but are spelled letter by letter. */
export const SPELLED_ACRONYMS: ReadonlySet<string> = new Set([
  'FBI', 'CIA', 'USA', 'EU', 'UK', 'UN', 'UAE', 'BBC', 'CEO', 'CFO', 'CTO', 'COO', 'API', 'APIS', 'URL', 'USB',
  'IBM', 'AI', 'ID', 'IO', 'IOU', 'IQ', 'TV', 'PC', 'OS', 'UI', 'UX', 'AOL', 'ETA', 'FAQ', 'DIY', 'IRA',
  'IRS', 'UFO', 'DNA', 'RNA', 'HIV', 'ICU', 'ER', 'EPA', 'ESA', 'IMF', 'ECB', 'MIT', 'UCLA', 'NYU', 'AC',
  'DC', 'FM', 'VIP', 'AD', 'BC', 'BCE', 'CE', 'ATM', 'ABC', 'CBS', 'NBC', 'EA', 'IPO', 'GPU', 'CPU', 'OECD',
  'USSR', 'NHS', 'NYPD', 'LAPD', 'UPS', 'USPS', 'PDF', 'HTML', 'XML', 'ISBN', 'LED', 'LCD', 'SUV', 'RV',
  'EV', 'GOP', 'HR', 'PR', 'QA', 'RSVP', 'AKA', 'IDE', 'SDK', 'AWS', 'IOT', 'EOF', 'URI', 'UTF', 'ASL',
  'OPA', 'UEA', 'IEEE', 'ISO', 'NEA', 'OAS', 'PTA', 'UA', 'EA', 'AU', 'IRL', 'AMA', 'NCAA', 'NFL', 'NBA',
  'MLB', 'NHL', 'NYC', 'LA', 'USAF', 'RAF', 'IRA', 'UAW', 'ACLU', 'AARP', 'AP', 'BA', 'MA', 'MBA', 'PE',
  'ICE', 'ADHD', 'OCD', 'PTSD', 'IVF', 'ESL', 'GDP', 'GPA', 'SAT', 'ACT', 'TBA', 'TBD', 'OMG', 'LOL',
  'EST', 'PST', 'GMT', 'UTC', 'CET', 'BST', 'AEST',
]);

/** Two- and three-letter all-caps words that are ordinary English words when shouted. */
export const SHOUTED_WORDS: ReadonlySet<string> = new Set([
  'NO', 'SO', 'GO', 'TO', 'DO', 'WE', 'HE', 'ME', 'BE', 'MY', 'BY', 'IF', 'IN', 'IS', 'IT', 'AN', 'AS', 'AT',
  'OF', 'ON', 'OR', 'UP', 'US', 'AM', 'OH', 'HI', 'OK', 'YES', 'THE', 'AND', 'BUT', 'FOR', 'NOT', 'YOU',
  'ALL', 'ARE', 'WAS', 'HIS', 'HER', 'OUT', 'NOW', 'NEW', 'OUR', 'OFF', 'WHY', 'HOW', 'WHO', 'CAN', 'GET',
  'SEE', 'BIG', 'END', 'TOP', 'OWN', 'ONE', 'TWO', 'SIX', 'TEN', 'RED', 'HOT', 'BAD', 'YOUR',
]);

/** Words before a Roman numeral that mean "read it as a cardinal": Chapter IV, World War II. */
export const ROMAN_CARDINAL_CONTEXT: ReadonlySet<string> = new Set([
  'chapter', 'part', 'book', 'volume', 'vol', 'act', 'scene', 'section', 'article', 'appendix', 'phase',
  'stage', 'level', 'war', 'episode', 'season', 'round', 'game', 'title', 'schedule', 'class', 'type',
  'grade', 'canto', 'psalm', 'plate', 'figure', 'table', 'series', 'mark', 'mk', 'apollo', 'rocky', 'bowl',
  'lesson', 'unit', 'step', 'tier', 'category', 'division', 'league', 'vatican', 'annex', 'movement',
  'symphony', 'op', 'no', 'number', 'fantasy', 'star', 'trek', 'godfather', 'saw', 'leg',
]);

/** Names before a Roman numeral that mean a regnal number: Henry VIII "Henry the eighth". */
export const REGNAL_NAMES: ReadonlySet<string> = new Set([
  'Henry', 'Edward', 'George', 'Louis', 'Elizabeth', 'Charles', 'James', 'William', 'Richard', 'Mary',
  'John', 'Paul', 'Pius', 'Leo', 'Gregory', 'Benedict', 'Innocent', 'Clement', 'Alexander', 'Philip',
  'Frederick', 'Napoleon', 'Peter', 'Catherine', 'Ramesses', 'Ramses', 'Constantine', 'Alfonso',
  'Ferdinand', 'Isabella', 'Gustav', 'Gustavus', 'Carl', 'Christian', 'Olaf', 'Harald', 'Haakon',
  'Nicholas', 'Ivan', 'Boniface', 'Urban', 'Sixtus', 'Felix', 'Stephen', 'Henri', 'Carlos', 'Juan',
  'Anne', 'Victoria', 'David', 'Robert', 'Malcolm', 'Alexios', 'Basil', 'Leopold', 'Francis', 'Joseph',
  'Wilhelm', 'Friedrich', 'Otto', 'Rudolf', 'Albert', 'Baldwin', 'Bohemond', 'Casimir', 'Sigismund',
  'Vladislaus', 'Wenceslaus', 'Matthias', 'Manuel', 'Pedro', 'Sancho', 'Afonso', 'Umberto',
  'Emmanuel', 'Amadeus', 'Ptolemy', 'Seleucus', 'Antiochus', 'Thutmose', 'Amenhotep', 'Rameses',
  'Darius', 'Xerxes', 'Cyrus', 'Artaxerxes', 'Hadrian', 'Theodosius', 'Justinian', 'Michael', 'Alexis',
  'Sobhuza', 'Mswati', 'Rama', 'Bhumibol', 'Kamehameha', 'Harold', 'Canute', 'Cnut', 'Ethelred',
  'Edmund', 'Magnus', 'Eric', 'Erik', 'Valdemar', 'Frederik', 'Ludwig', 'Maximilian', 'Karl', 'Franz',
  'Tutankhamun', 'Innocentius', 'Adrian', 'Julius', 'Marcellus', 'Celestine', 'Honorius', 'Eugene',
  'Martin', 'Nicolas', 'Callixtus', 'Lucius', 'Anastasius', 'Sergius', 'Stefan', 'Jan',
]);

export interface UnitWord {
  one: string;
  many: string;
}
const U = (one: string, many = `${one}s`): UnitWord => ({ one, many });

/** Units, case-sensitive, read only right after a number. */
export const UNITS: ReadonlyMap<string, UnitWord> = new Map<string, UnitWord>([
  ['km', U('kilometer')], ['m', U('meter')], ['cm', U('centimeter')], ['mm', U('millimeter')],
  ['µm', U('micrometer')], ['μm', U('micrometer')], ['nm', U('nanometer')],
  ['kg', U('kilogram')], ['g', U('gram')], ['mg', U('milligram')], ['µg', U('microgram')], ['μg', U('microgram')],
  ['lb', U('pound')], ['lbs', U('pound', 'pounds')], ['oz', U('ounce')], ['st', U('stone', 'stone')],
  ['mph', U('mile per hour', 'miles per hour')], ['kph', U('kilometer per hour', 'kilometers per hour')],
  ['km/h', U('kilometer per hour', 'kilometers per hour')], ['kmh', U('kilometer per hour', 'kilometers per hour')],
  ['m/s', U('meter per second', 'meters per second')],
  ['mi', U('mile')], ['ft', U('foot', 'feet')], ['yd', U('yard')], ['yds', U('yard')],
  ['ml', U('milliliter')], ['mL', U('milliliter')], ['l', U('liter')], ['L', U('liter')], ['cl', U('centiliter')],
  ['dl', U('deciliter')], ['gal', U('gallon')],
  ['GB', U('gigabyte')], ['MB', U('megabyte')], ['KB', U('kilobyte')], ['kB', U('kilobyte')], ['TB', U('terabyte')],
  ['Mbps', U('megabit per second', 'megabits per second')], ['Gbps', U('gigabit per second', 'gigabits per second')],
  ['Hz', U('hertz', 'hertz')], ['kHz', U('kilohertz', 'kilohertz')], ['MHz', U('megahertz', 'megahertz')],
  ['GHz', U('gigahertz', 'gigahertz')],
  ['W', U('watt')], ['kW', U('kilowatt')], ['MW', U('megawatt')], ['kWh', U('kilowatt hour')],
  ['V', U('volt')], ['mA', U('milliamp')], ['mAh', U('milliamp hour')],
  ['°C', U('degree Celsius', 'degrees Celsius')], ['°F', U('degree Fahrenheit', 'degrees Fahrenheit')],
  ['℃', U('degree Celsius', 'degrees Celsius')], ['℉', U('degree Fahrenheit', 'degrees Fahrenheit')],
  ['°', U('degree')], ['ms', U('millisecond')], ['sec', U('second')], ['secs', U('second')],
  ['min', U('minute')], ['mins', U('minute')], ['hr', U('hour')], ['hrs', U('hour')], ['yr', U('year')],
  ['yrs', U('year')], ['m²', U('square meter')], ['km²', U('square kilometer')], ['cm²', U('square centimeter')],
  ['ft²', U('square foot', 'square feet')], ['m³', U('cubic meter')], ['cm³', U('cubic centimeter')],
  ['ha', U('hectare')], ['psi', U('pound per square inch', 'pounds per square inch')], ['dB', U('decibel')],
  ['kcal', U('kilocalorie')], ['cal', U('calorie')],
]);
/** Units only recognised when attached to the number ("5in", "10s", "3h", "10x"): spaced they are words. */
export const ATTACHED_UNITS: ReadonlyMap<string, UnitWord> = new Map<string, UnitWord>([
  ['in', U('inch', 'inches')], ['s', U('second')], ['h', U('hour')], ['x', U('times', 'times')],
  ['t', U('tonne')], ['k', U('thousand', 'thousand')],
]);

/** en-GB spellings of metric units. */
export function britishUnit(w: string): string {
  return w.replace(/meter/g, 'metre').replace(/liter/g, 'litre');
}

export interface Currency {
  one: string;
  many: string;
  minorOne?: string;
  minorMany?: string;
}
export const CURRENCIES: ReadonlyMap<string, Currency> = new Map<string, Currency>([
  ['$', { one: 'dollar', many: 'dollars', minorOne: 'cent', minorMany: 'cents' }],
  ['US$', { one: 'dollar', many: 'dollars', minorOne: 'cent', minorMany: 'cents' }],
  ['A$', { one: 'dollar', many: 'dollars', minorOne: 'cent', minorMany: 'cents' }],
  ['C$', { one: 'dollar', many: 'dollars', minorOne: 'cent', minorMany: 'cents' }],
  ['£', { one: 'pound', many: 'pounds', minorOne: 'penny', minorMany: 'pence' }],
  ['€', { one: 'euro', many: 'euros', minorOne: 'cent', minorMany: 'cents' }],
  ['¥', { one: 'yen', many: 'yen' }],
  ['₹', { one: 'rupee', many: 'rupees', minorOne: 'paisa', minorMany: 'paise' }],
  ['₩', { one: 'won', many: 'won' }],
  ['₽', { one: 'ruble', many: 'rubles', minorOne: 'kopek', minorMany: 'kopeks' }],
]);

/** Scale words after an amount: "$3.5 million", "$2bn", "£5k". */
export const SCALE_WORDS: ReadonlyMap<string, string> = new Map([
  ['thousand', 'thousand'], ['million', 'million'], ['billion', 'billion'], ['trillion', 'trillion'],
  ['k', 'thousand'], ['K', 'thousand'], ['m', 'million'], ['M', 'million'], ['mn', 'million'],
  ['bn', 'billion'], ['b', 'billion'], ['B', 'billion'], ['tn', 'trillion'], ['T', 'trillion'],
]);

/** Symbols read as words when they stand alone or inside a token. */
export const SYMBOL_WORDS: ReadonlyMap<string, string> = new Map([
  ['&', 'and'], ['+', 'plus'], ['@', 'at'], ['%', 'percent'], ['=', 'equals'], ['×', 'times'],
  ['÷', 'divided by'], ['°', 'degrees'], ['§', 'section'], ['¶', 'paragraph'], ['©', 'copyright'],
  ['®', 'registered'], ['™', 'trademark'], ['±', 'plus or minus'], ['≈', 'approximately'],
  ['≠', 'not equal to'], ['≤', 'less than or equal to'], ['≥', 'greater than or equal to'], ['∞', 'infinity'],
  ['√', 'square root of'], ['‰', 'per mille'], ['€', 'euros'], ['£', 'pounds'], ['$', 'dollars'],
  ['¥', 'yen'], ['₹', 'rupees'], ['#', 'hash'],
]);
/** Symbols read only when a whole token ("a < b"), never inside one ("<tag>"). */
export const STANDALONE_SYMBOL_WORDS: ReadonlyMap<string, string> = new Map([
  ['<', 'less than'], ['>', 'greater than'], ['~', 'approximately'], ['/', 'slash'],
]);

/** Vulgar fraction characters. */
export const VULGAR_FRACTIONS: ReadonlyMap<string, [string, string]> = new Map([
  ['½', ['1', '2']], ['⅓', ['1', '3']], ['⅔', ['2', '3']], ['¼', ['1', '4']], ['¾', ['3', '4']],
  ['⅕', ['1', '5']], ['⅖', ['2', '5']], ['⅗', ['3', '5']], ['⅘', ['4', '5']], ['⅙', ['1', '6']],
  ['⅚', ['5', '6']], ['⅐', ['1', '7']], ['⅛', ['1', '8']], ['⅜', ['3', '8']], ['⅝', ['5', '8']],
  ['⅞', ['7', '8']], ['⅑', ['1', '9']], ['⅒', ['1', '10']],
]);

/** Contractions that start with an apostrophe ('tis, 'em). */
export const LEADING_APOSTROPHE_WORDS: ReadonlySet<string> = new Set([
  'tis', 'twas', 'em', 'cause', 'til', 'round', 'bout', 'n', 'ere', 'neath', 'nuff', 'sup', 'kay',
]);

/** Top-level domains recognised in bare domain names ("example.com"). */
export const TLDS: ReadonlySet<string> = new Set([
  'com', 'org', 'net', 'edu', 'gov', 'io', 'co', 'uk', 'de', 'fr', 'ai', 'app', 'dev', 'info', 'biz', 'us',
  'ca', 'au', 'eu', 'me', 'tv', 'ly', 'gg', 'xyz', 'jp', 'cn', 'ru', 'nl', 'se', 'no', 'es', 'it', 'ch',
  'in', 'br', 'mil', 'int', 'nz', 'ie', 'be', 'at', 'dk', 'fi', 'pl', 'pt', 'kr', 'tw', 'mx', 'ar', 'za',
]);
