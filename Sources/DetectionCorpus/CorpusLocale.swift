/// The locales documents are written for: names, street formats, postcodes, phone formats, IBAN
/// countries and date formats follow each one's conventions.
enum CorpusLocale: CaseIterable, Sendable {
  case enUS, enGB, deDE, frFR, esES, itIT, plPL, nlNL

  var index: Int {
    switch self {
    case .enUS: 0
    case .enGB: 1
    case .deDE: 2
    case .frFR: 3
    case .esES: 4
    case .itIT: 5
    case .plPL: 6
    case .nlNL: 7
    }
  }

  var countryCode: String {
    switch self {
    case .enUS: "US"
    case .enGB: "GB"
    case .deDE: "DE"
    case .frFR: "FR"
    case .esES: "ES"
    case .itIT: "IT"
    case .plPL: "PL"
    case .nlNL: "NL"
    }
  }

  var tag: String {
    switch self {
    case .enUS: "en-US"
    case .enGB: "en-GB"
    case .deDE: "de-DE"
    case .frFR: "fr-FR"
    case .esES: "es-ES"
    case .itIT: "it-IT"
    case .plPL: "pl-PL"
    case .nlNL: "nl-NL"
    }
  }

  var currency: String {
    switch self {
    case .enUS: "USD"
    case .enGB: "GBP"
    case .plPL: "PLN"
    default: "EUR"
    }
  }

  var callingCode: String {
    switch self {
    case .enUS: "1"
    case .enGB: "44"
    case .deDE: "49"
    case .frFR: "33"
    case .esES: "34"
    case .itIT: "39"
    case .plPL: "48"
    case .nlNL: "31"
    }
  }

  var emailDomains: [String] {
    let common = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.com"]
    switch self {
    case .enUS: return common + ["aol.com", "comcast.net", "example.com"]
    case .enGB: return common + ["btinternet.com", "sky.com", "example.co.uk"]
    case .deDE: return common + ["web.de", "gmx.de", "t-online.de", "posteo.de"]
    case .frFR: return common + ["orange.fr", "free.fr", "laposte.net", "sfr.fr"]
    case .esES: return common + ["telefonica.net", "movistar.es", "yahoo.es"]
    case .itIT: return common + ["libero.it", "virgilio.it", "tiscali.it", "alice.it"]
    case .plPL: return common + ["wp.pl", "onet.pl", "interia.pl", "o2.pl"]
    case .nlNL: return common + ["ziggo.nl", "kpnmail.nl", "hetnet.nl", "xs4all.nl"]
    }
  }

  /// A rough box around the country: (lat range, lng range), in millionths of a degree.
  var coordinateBox: (ClosedRange<Int>, ClosedRange<Int>) {
    switch self {
    case .enUS: (30_000_000...47_000_000, -122_000_000 ... -75_000_000)
    case .enGB: (50_500_000...55_800_000, -4_500_000...1_500_000)
    case .deDE: (47_500_000...54_500_000, 6_500_000...14_500_000)
    case .frFR: (43_300_000...50_500_000, -1_500_000...7_500_000)
    case .esES: (36_500_000...43_300_000, -8_500_000...3_000_000)
    case .itIT: (37_500_000...46_300_000, 7_500_000...17_500_000)
    case .plPL: (49_500_000...54_300_000, 14_500_000...23_500_000)
    case .nlNL: (51_000_000...53_300_000, 3_700_000...7_000_000)
    }
  }

  var ibanCountry: String { self == .enUS ? "DE" : countryCode }
}
