import { describe, it, expect } from 'vitest';
import { normalizeText, normalizeToString } from '../../src-shared/text/normalize/index';
import type { NormalizeOptions, NormalizedWord } from '../../src-shared/text/normalize/index';

const say = (t: string, o?: NormalizeOptions): string => normalizeToString(t, o);
/** "word=source slice" for each output word. */
const spans = (t: string, o?: NormalizeOptions): string[] =>
  normalizeText(t, o).words.map((w) => `${w.text}=${t.slice(w.start, w.end)}`);
const GB: NormalizeOptions = { locale: 'en-GB' };

function checkWords(text: string, words: NormalizedWord[]): void {
  for (const w of words) {
    expect(w.text.length).toBeGreaterThan(0);
    expect(/\s/.test(w.text)).toBe(false);
    expect(w.start).toBeGreaterThanOrEqual(0);
    expect(w.end).toBeGreaterThanOrEqual(w.start);
    expect(w.end).toBeLessThanOrEqual(text.length);
  }
}

describe('acceptance', () => {
  it('reads the reference sentence', () => {
    const t = 'Dr. Smith paid $3.50 on 2024-05-01 at 12:30.';
    expect(say(t)).toBe(
      'Doctor Smith paid three dollars and fifty cents on May first, twenty twenty-four at twelve thirty.',
    );
    expect(spans(t)).toEqual([
      'Doctor=Dr', 'Smith=Smith', 'paid=paid',
      'three=$3.50', 'dollars=$3.50', 'and=$3.50', 'fifty=$3.50', 'cents=$3.50',
      'on=on', 'May=2024-05-01', 'first=2024-05-01', 'twenty=2024-05-01', 'twenty-four=2024-05-01',
      'at=at', 'twelve=12:30', 'thirty=12:30',
    ]);
    const words = normalizeText(t).words;
    expect(words.find((w) => w.text === 'first')?.punct).toBe(',');
    expect(words.at(-1)?.punct).toBe('.');
  });
});

describe('numbers', () => {
  it('cardinals', () => {
    expect(say('0 7 13 42 100 101 999 1,000 1000000 12,345')).toBe(
      'zero seven thirteen forty-two one hundred one hundred one nine hundred ninety-nine one thousand one million twelve thousand three hundred forty-five.',
    );
    expect(spans('I have 42 cats')).toEqual(['I=I', 'have=have', 'forty-two=42', 'cats=cats']);
  });

  it('British cardinals use "and"', () => {
    expect(say('105 and 1,005', GB)).toBe('one hundred and five and one thousand and five.');
  });

  it('ordinals', () => {
    expect(say('1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 100th 1,000,000th')).toBe(
      'first second third fourth eleventh twelfth thirteenth twenty-first twenty-second one hundredth one millionth.',
    );
    expect(spans('the 22nd')).toEqual(['the=the', 'twenty-second=22nd']);
  });

  it('decimals and negatives', () => {
    expect(say('Pi is 3.14, it fell -2.5 or +3, and .5 and 0.5.')).toBe(
      'Pi is three point one four, it fell minus two point five or plus three, and point five and zero point five.',
    );
    expect(spans('-2.5')).toEqual(['minus=-2.5', 'two=-2.5', 'point=-2.5', 'five=-2.5']);
    expect(say('\u22123 degrees')).toBe('minus three degrees.'); // U+2212 minus sign
  });

  it('thousands separators', () => {
    expect(say('1,234,567.89')).toBe(
      'one million two hundred thirty-four thousand five hundred sixty-seven point eight nine.',
    );
  });

  it('leading zeros are read digit by digit', () => {
    expect(say('Agent 007')).toBe('Agent zero zero seven.');
  });

  it('very large numbers within the bound use scale words', () => {
    expect(say('12345678901234567890')).toMatch(/^twelve quintillion three hundred forty-five quadrillion .* eight hundred ninety\.$/);
  });
});

describe('years', () => {
  it('reads four-digit numbers as years', () => {
    expect(say('1984 2024 2005 2000 1900 1905 2010')).toBe(
      'nineteen eighty-four twenty twenty-four two thousand five two thousand nineteen hundred nineteen oh five twenty ten.',
    );
  });

  it('1000-1099 only after a year word', () => {
    expect(say('1001 nights in 1066')).toBe('one thousand one nights in ten sixty-six.');
  });

  it('decades', () => {
    expect(say('the 1990s, 1800s, 2000s, 80s and \u201990s')).toBe(
      'the nineteen nineties, eighteen hundreds, two thousands, eighties and nineties.',
    );
    expect(spans('1990s')).toEqual(['nineteen=1990s', 'nineties=1990s']);
  });

  it('does not read a year before a unit', () => {
    expect(say('1500 km')).toBe('one thousand five hundred kilometers.');
  });
});

describe('ranges', () => {
  it('number ranges', () => {
    expect(say('10-20 people')).toBe('ten to twenty people.');
    expect(spans('10-20')).toEqual(['ten=10', 'to=-', 'twenty=20']);
    expect(say('1990\u20131995')).toBe('nineteen ninety to nineteen ninety-five.');
    expect(say('10 - 20 people')).toBe('ten to twenty people.');
    expect(say('pp. 3-5')).toBe('pages three to five.');
  });

  it('ranges with percent and currency', () => {
    expect(say('10-20%')).toBe('ten to twenty percent.');
    expect(say('$10-20')).toBe('ten to twenty dollars.');
  });
});

describe('money', () => {
  it('dollars and cents', () => {
    expect(say('$3.50 $1 $0.05 $1.01 $3.5 $1,000,000')).toBe(
      'three dollars and fifty cents one dollar five cents one dollar and one cent three dollars and fifty cents one million dollars.',
    );
  });

  it('other currencies', () => {
    expect(say('£5, £1.50, €2.99, ¥1000, 20€')).toBe(
      'five pounds, one pound and fifty pence, two euros and ninety-nine cents, one thousand yen, twenty euros.',
    );
  });

  it('scales', () => {
    expect(say('$3.5 million')).toBe('three point five million dollars.');
    expect(spans('$3.5 million')).toEqual([
      'three=$3.5', 'point=$3.5', 'five=$3.5', 'million=million', 'dollars=$3.5',
    ]);
    expect(say('$2bn and £5k')).toBe('two billion dollars and five thousand pounds.');
  });

  it('negative amounts', () => {
    expect(say('-$5')).toBe('minus five dollars.');
  });
});

describe('percentages', () => {
  it('reads percent', () => {
    expect(say('50% then 3.5% and -2% and 100 % sure')).toBe(
      'fifty percent then three point five percent and minus two percent and one hundred percent sure.',
    );
    expect(spans('50%')).toEqual(['fifty=50%', 'percent=50%']);
  });
});

describe('dates', () => {
  it('ISO dates', () => {
    expect(say('2024-05-01')).toBe('May first, twenty twenty-four.');
    expect(say('2024-05-01', GB)).toBe('the first of May, twenty twenty-four.');
  });

  it('slashed dates follow the locale', () => {
    expect(say('5/1/2024')).toBe('May first, twenty twenty-four.');
    expect(say('5/1/2024', GB)).toBe('the fifth of January, twenty twenty-four.');
    // A first field above 12 must be the day.
    expect(say('25/12/2024')).toBe('December twenty-fifth, twenty twenty-four.');
    expect(spans('5/1/2024')).toEqual(['May=5/1/2024', 'first=5/1/2024', 'twenty=5/1/2024', 'twenty-four=5/1/2024']);
  });

  it('dotted dates are day first', () => {
    expect(say('01.02.2023')).toBe('February first, twenty twenty-three.');
  });

  it('month names with days', () => {
    expect(say('May 1st 2024')).toBe('May first twenty twenty-four.');
    expect(spans('May 1st 2024')).toEqual(['May=May', 'first=1st', 'twenty=2024', 'twenty-four=2024']);
    expect(say('Dec 25th, 1999 and Jan. 5')).toBe('December twenty-fifth, nineteen ninety-nine and January fifth.');
    expect(say('on 4 July 1776')).toBe('on the fourth of July seventeen seventy-six.');
    expect(say('the 1st of May')).toBe('the first of May.');
  });

  it('invalid dates are not dates', () => {
    expect(say('2024-13-45')).not.toMatch(/May|December/);
  });
});

describe('times', () => {
  it('clock times', () => {
    expect(say('12:30, 3:05, 10:00, 18:45, 12:30:15')).toBe(
      "twelve thirty, three oh five, ten o'clock, eighteen forty-five, twelve thirty and fifteen seconds.",
    );
  });

  it('am and pm', () => {
    expect(say('3pm, 3:05 p.m., 9 AM and 7:00am')).toBe('three P M, three oh five P M, nine A M and seven A M.');
    expect(spans('3:05 p.m.')).toEqual(['three=3:05', 'oh=3:05', 'five=3:05', 'P=p.m', 'M=p.m']);
    expect(spans('3pm')).toEqual(['three=3', 'P=pm', 'M=pm']);
    expect(normalizeText('3pm').words[1]?.spelled).toBe(true);
  });
});

describe('units', () => {
  it('reads units after numbers, singular for one', () => {
    expect(say('10 km, 8 mph, 70 kg, 180 cm, 1 kg, 5kg, 45 min')).toBe(
      'ten kilometers, eight miles per hour, seventy kilograms, one hundred eighty centimeters, one kilogram, five kilograms, forty-five minutes.',
    );
    expect(spans('5kg')).toEqual(['five=5', 'kilograms=kg']);
    expect(spans('10 km')).toEqual(['ten=10', 'kilometers=km']);
  });

  it('temperatures', () => {
    expect(say('20°C and 68°F and -5 °C and 30 °')).toBe(
      'twenty degrees Celsius and sixty-eight degrees Fahrenheit and minus five degrees Celsius and thirty degrees.',
    );
  });

  it('British spellings', () => {
    expect(say('5 km and 2 L', GB)).toBe('five kilometres and two litres.');
  });

  it('not without a number', () => {
    expect(say('He ran km and m is a letter.')).toBe('He ran km and M is a letter.');
    expect(say('He is 5 in the list')).toBe('He is five in the list.');
  });
});

describe('fractions', () => {
  it('slash fractions and vulgar fractions', () => {
    expect(say('1/2, 3/4, 2/3, 7/8, 5/16, ½, ¾')).toBe(
      'one half, three quarters, two thirds, seven eighths, five sixteenths, one half, three quarters.',
    );
  });

  it('mixed numbers', () => {
    expect(say('1 1/2 cups and 2½ spoons')).toBe('one and a half cups and two and a half spoons.');
    expect(spans('2½')).toEqual(['two=2', 'and=2', 'a=½', 'half=½']);
  });
});

describe('Roman numerals', () => {
  it('in context', () => {
    expect(say('World War II ended. Chapter IV begins.')).toBe('World War two ended. Chapter four begins.');
    expect(say('Henry VIII had six wives. Louis XIV ruled. Elizabeth II.')).toBe(
      'Henry the eighth had six wives. Louis the fourteenth ruled. Elizabeth the second.',
    );
    expect(spans('Henry VIII')).toEqual(['Henry=Henry', 'the=VIII', 'eighth=VIII']);
    expect(say("Henry VIII's wives")).toBe("Henry the eighth's wives.");
  });

  it('not the pronoun I, and not letters out of context', () => {
    expect(say('I said I was. Vitamin C and Class C.')).toBe('I said I was. Vitamin C and Class C.');
    expect(say('World War I')).toBe('World War one.');
  });
});

describe('abbreviations and titles', () => {
  it('titles', () => {
    expect(say('Dr. Smith, Mr. Brown, Mrs. Green, Ms. White and Prof. Plum')).toBe(
      'Doctor Smith, Mister Brown, Missus Green, Miz White and Professor Plum.',
    );
    expect(spans('Mr. Brown')).toEqual(['Mister=Mr', 'Brown=Brown']);
  });

  it('St. as saint or street', () => {
    expect(say("We met at St. Mary's on Elm St. near 5 Baker St.")).toBe(
      "We met at Saint Mary's on Elm Street near five Baker Street.",
    );
  });

  it('Dr. as drive after a name', () => {
    expect(say('She lives on Mulholland Dr.')).toBe('She lives on Mulholland Drive.');
  });

  it('Latin and other abbreviations', () => {
    expect(say('Fruit, e.g. apples, i.e. food, etc. Lakers vs. Celtics.')).toBe(
      'Fruit, for example apples, that is food, et cetera. Lakers versus Celtics.',
    );
    expect(say('See No. 5 on p. 12, Fig. 3. I said no.')).toBe('See Number five on page twelve, Figure three. I said no.');
    expect(say('Mt. Everest and Gen. Lee')).toBe('Mount Everest and General Lee.');
  });
});

describe('initialisms and acronyms', () => {
  it('dotted initialisms are spelled', () => {
    expect(spans('the U.S. Army')).toEqual(['the=the', 'U=U', 'S=S', 'Army=Army']);
    const w = normalizeText('U.S.').words;
    expect(w.every((x) => x.spelled)).toBe(true);
  });

  it('known spelled acronyms and consonant clusters', () => {
    expect(say('The FBI, CIA, HTML and BBC.')).toBe('The F B I, C I A, H T M L and B B C.');
    expect(spans('FBI')).toEqual(['F=F', 'B=B', 'I=I']);
  });

  it('acronyms that are words', () => {
    expect(say('NASA and NATO')).toBe('Nasa and Nato.');
    expect(normalizeText('NASA').words[0]?.spelled).toBeUndefined();
  });

  it('shouted words are words', () => {
    expect(say('STOP THE CAR')).toBe('stop the car.');
  });

  it('plurals of acronyms', () => {
    expect(say('CDs')).toBe("C D's.");
  });
});

describe('URLs and e-mail', () => {
  it('reads URLs', () => {
    expect(say('Visit https://example.com/docs')).toBe('Visit example dot com slash docs.');
    expect(say('www.example.org')).toBe('W W W dot example dot org.');
    expect(spans('example.com')).toEqual(['example=example', 'dot=.', 'com=com']);
  });

  it('reads e-mail addresses', () => {
    expect(say('jane.doe@example.co.uk')).toBe('jane dot doe at example dot co dot uk.');
  });
});

describe('symbols', () => {
  it('& % + @ #', () => {
    expect(say('Rock & roll, 2 + 2, me @ home, #1 fan, #tbt')).toBe(
      'Rock and roll, two plus two, me at home, number one fan, hashtag tbt.',
    );
    expect(spans('#1')).toEqual(['number=#', 'one=1']);
    expect(say('C++ and A+')).toBe('C plus plus and A plus.');
  });
});

describe('quotes, apostrophes and punctuation', () => {
  it('straightens curly apostrophes and drops quotation marks', () => {
    expect(say('\u201cDon\u2019t,\u201d she said. \u2018It\u2019s fine.\u2019')).toBe("Don't, she said. It's fine.");
    expect(spans('Don\u2019t')).toEqual(['Don\'t=Don\u2019t']);
  });

  it('keeps sentence punctuation for prosody', () => {
    expect(say('Really? Yes! Wait; then: go, now.')).toBe('Really? Yes! Wait; then: go, now.');
    expect(say('Wait\u2026 what? "Stop." she said \u2014 and left.')).toBe('Wait, what? Stop, she said, and left.');
  });

  it('ends headings and list items with a full stop', () => {
    expect(say('Chapter One\nIt begins.\n\n1. Eggs\n2. Milk\n- bread')).toBe(
      'Chapter One. It begins. one, Eggs. two, Milk. bread.',
    );
  });
});

describe('emoji', () => {
  it('produce no words', () => {
    expect(say('I love it \u{1F600}\u{1F44D}\u{1F3FD}! \u{1F1FA}\u{1F1F8} flags \u{1F468}\u200D\u{1F469}\u200D\u{1F467}.')).toBe(
      'I love it! flags.',
    );
    expect(normalizeText('\u{1F600}').words).toEqual([]);
  });
});

describe('hyphenated words', () => {
  it('are split into parts with their own spans, unless a part is one letter', () => {
    expect(spans('well-known')).toEqual(['well=well', 'known=known']);
    expect(say('a state-of-the-art x-ray e-mail')).toBe('a state of the art x-ray e-mail.');
    expect(say('COVID-19')).toBe('Covid nineteen.');
  });
});

describe('phone numbers and codes', () => {
  it('reads digit groups', () => {
    expect(say('Call 555-123-4567.')).toBe('Call five five five, one two three, four five six seven.');
  });
});

describe('range option', () => {
  it('normalises a slice but keeps offsets into the whole text', () => {
    const t = 'Skip this. Dr. Who is here.';
    const w = normalizeText(t, { range: { start: 11, end: t.length } }).words;
    expect(w.map((x) => `${x.text}=${t.slice(x.start, x.end)}`)).toEqual(['Doctor=Dr', 'Who=Who', 'is=is', 'here=here']);
  });
});

describe('robustness', () => {
  it('handles odd characters without throwing', () => {
    const odd = [
      '', ' ', '\u0000\u0001\u0002', '\ud800', '\udc00abc\ud800', '\u202eevil\u202c', '\u200f123\u200f',
      'soft\u00adhyphen', 'a\u200bb', '....', '-', '$', '$.', '%', '1e10', '1.2.3.4.5', '::::', '12:99', '99:00',
      '$$$5', '---5', '5---', '1/0', '0/0', '#', '@', 'a@', '@@@', 'http://', 'www.', '\u00bd\u00bd',
      'I.I.I.', "''''", '"""', '((()))', '\u3002\u3002', '\uffff\ufffe', 'Dr.', 'St.', 'No.', 'p.', '5 p.m.',
    ];
    for (const t of odd) {
      expect(() => normalizeText(t)).not.toThrow();
      checkWords(t, normalizeText(t).words);
      expect(() => normalizeToString(t, GB)).not.toThrow();
    }
    expect(say('\u200f123\u200f')).toBe('one hundred twenty-three.');
    expect(say('soft\u00adhyphen')).toBe('softhyphen.');
  });

  it('fuzz: random Unicode never throws and gives valid spans', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pools = [
      () => String.fromCharCode(Math.floor(rand() * 0x10000)), // anything in the BMP, incl. lone surrogates
      () => String.fromCharCode(Math.floor(rand() * 32)), // control characters
      () => '\u200e\u200f\u202a\u202b\u202e\u2066\u2069'[Math.floor(rand() * 7)] ?? '',
      () => String.fromCodePoint(0x1f300 + Math.floor(rand() * 0x300)), // emoji
      () => '0123456789.,:/-$£€%°'[Math.floor(rand() * 20)] ?? '',
      () => ' \n\t'[Math.floor(rand() * 3)] ?? '',
      () => 'abcXYZ IVX Dr. St. U.S. km pm'[Math.floor(rand() * 29)] ?? '',
    ];
    for (let round = 0; round < 300; round++) {
      let t = '';
      const len = Math.floor(rand() * 200);
      for (let k = 0; k < len; k++) t += pools[Math.floor(rand() * pools.length)]!();
      let words: NormalizedWord[] = [];
      expect(() => {
        words = normalizeText(t).words;
      }).not.toThrow();
      checkWords(t, words);
      expect(() => normalizeToString(t, GB)).not.toThrow();
    }
  });

  it('a 100,000-digit number is read digit by digit, quickly', () => {
    const t = '7'.repeat(100_000);
    const w = normalizeText(t).words;
    expect(w).toHaveLength(100_000);
    expect(w[0]).toEqual({ text: 'seven', start: 0, end: 1 });
    expect(w.at(-1)).toMatchObject({ text: 'seven', start: 99_999, end: 100_000 });
  });

  it('a 1 MB line without spaces is cut into bounded words', () => {
    const t = 'x'.repeat(1_000_000);
    const w = normalizeText(t).words;
    expect(w.length).toBeGreaterThan(1000);
    expect(Math.max(...w.map((x) => x.text.length))).toBeLessThanOrEqual(64);
    expect(w.at(-1)?.end).toBe(1_000_000);
  });

  it('a 1 MB line of mixed tokens finishes', () => {
    const t = 'Dr. Smith paid $3.50 on 2024-05-01 at 12:30 \u{1F600} U.S. 10-20% ab1.2-3/4:5@6#7 '.repeat(12_000);
    expect(t.length).toBeGreaterThanOrEqual(900_000);
    const w = normalizeText(t).words;
    expect(w.length).toBeGreaterThan(300_000);
    checkWords(t, w.slice(0, 1000));
  });

  it('pathological repetitions finish', () => {
    for (const unit of ['.', '-1', 'a.', 'a@b.', '1,', ':', '$', '\u{1F600}', '\ud800', 'I ']) {
      const t = unit.repeat(Math.ceil(200_000 / unit.length));
      expect(() => normalizeText(t)).not.toThrow();
    }
  });
});
