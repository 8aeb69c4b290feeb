/// What key words say about a field: the token sequences that name each data type
/// (`date of birth`, `dob`, `msisdn`, `pan`, `cvc`…), the sequences that name something else and
/// so claim their words (`company name`, `ip address`, `user agent`), and the modifiers that turn
/// a key about a type into a key about something of it (`email_verified`, `password_hash`,
/// `card_type`, `is_phone`).
enum KeyVocabulary {
  /// A token sequence and the type it names; nil for a sequence that names nothing sensitive.
  struct Pattern {
    let tokens: [String]
    let type: DataType?
  }

  // swift-format-ignore
  static let patterns: [Pattern] = {
    var list: [Pattern] = []
    func add(_ type: DataType?, _ phrases: String...) {
      for phrase in phrases { list.append(Pattern(tokens: phrase.split(separator: " ").map(String.init), type: type)) }
    }
    add(.email, "email", "e mail", "mail", "email address", "e mail address", "mail address", "courriel", "correo")
    add(.phone, "phone", "telephone", "tel", "mobile", "cell", "cellphone", "msisdn", "fax", "phone number",
        "phone no", "mobile number", "mobile no", "contact number", "whatsapp", "telefon", "telefono",
        "telephone number", "tel no", "handy", "portable", "cellulare", "telefonnummer", "landline", "mob")
    add(.personName, "name", "first name", "last name", "given name", "family name", "surname", "middle name",
        "full name", "forename", "fname", "lname", "firstname", "lastname", "fullname", "holder", "cardholder",
        "card holder", "holder name", "account holder", "contact name", "customer name", "patient name",
        "recipient", "recipient name", "beneficiary", "beneficiary name", "payee", "payee name", "maiden name",
        "nom", "prenom", "vorname", "nachname", "nombre", "apellido", "apellidos", "cognome", "imie", "nazwisko",
        "achternaam", "voornaam", "display name", "legal name", "person", "passenger name", "guest name",
        "employee name", "owner name", "driver name", "student name", "parent name", "emergency contact",
        "next of kin", "spouse", "attendee", "signatory", "author name", "sender name", "addressee")
    add(.address, "address", "addr", "street", "street address", "address line", "street line", "postal address",
        "mailing address", "home address", "billing address", "shipping address", "residential address",
        "strasse", "rue", "calle", "ulica", "straat", "indirizzo", "adresse", "direccion", "adres",
        "house number", "street name", "delivery address", "address1", "address2", "residence")
    add(.dateOfBirth, "dob", "birth", "birthday", "birthdate", "born", "date of birth", "birth date", "born on",
        "geburtsdatum", "geburtstag", "fecha nacimiento", "fecha de nacimiento", "naissance", "date de naissance",
        "data di nascita", "data nascita", "data urodzenia", "geboortedatum", "bday")
    add(.gender, "gender", "sex", "geschlecht", "sexe", "sexo", "sesso", "plec", "geslacht")
    add(.username, "username", "user name", "login", "user login", "login name", "handle", "screen name",
        "nickname", "nick", "uname", "userid", "user handle", "account name", "benutzername", "pseudo",
        "usuario", "gamertag", "alias")
    add(.geoCoordinates, "lat", "latitude", "lng", "lon", "longitude", "coordinates", "coords", "geo",
        "geolocation", "latlng", "lat lng", "lat lon", "latlon", "gps", "geo point", "geopoint", "location coords",
        "position", "location", "long", "coordinate", "geo location", "current location", "last location",
        "breitengrad", "laengengrad")
    add(.ipAddress, "ip", "ip address", "ipaddr", "ipv4", "ipv6", "remote addr", "remote address", "client ip",
        "source ip", "src ip", "dst ip", "dest ip", "x forwarded for", "forwarded for", "real ip", "peer ip",
        "ip addr", "host ip", "public ip", "private ip", "client address")
    add(.macAddress, "mac", "mac address", "macaddr", "mac addr", "hw addr", "hwaddr", "hardware address",
        "bssid", "ethernet address", "wifi mac")
    add(.usSSN, "ssn", "social security", "social security number", "social security no", "ss number", "ssn number",
        "social")
    add(.passportNumber, "passport", "passport number", "passport no", "passport num", "passport id",
        "reisepass", "reisepassnummer", "pasaporte", "passeport", "passaporto", "paszport", "paspoort", "travel document",
        "identity document", "id document", "travel document number", "identity document number")
    add(.driversLicense, "drivers license", "driver license", "driving licence", "driving license",
        "drivers licence", "driver licence", "dl", "dl number", "dl no", "licence number", "license number",
        "driver license number", "fuhrerschein", "fuehrerschein", "permis", "permis de conduire", "licencia",
        "licencia de conducir", "patente", "prawo jazdy", "rijbewijs", "license no", "licence no", "dln")
    add(.iban, "iban", "iban number", "iban code", "bank iban")
    add(.cardNumber, "card number", "cardnumber", "pan", "cc", "cc number", "ccnum", "cc num", "ccn",
        "credit card", "creditcard", "credit card number", "card no", "card num", "primary account number",
        "debit card", "debit card number", "card", "payment card", "card pan", "kartennummer", "numero carte",
        "numero tarjeta", "cc no")
    add(.cardExpiration, "exp", "expiry", "expiration", "exp date", "expiry date", "expiration date",
        "valid thru", "valid through", "valid until", "cc exp", "card exp", "card expiry", "card expiration",
        "expires", "expire", "exp month year", "expiry month year", "ablaufdatum", "caducidad", "scadenza")
    add(.cardCVV, "cvv", "cvc", "cvv2", "cvc2", "csc", "cvn", "cid", "security code", "card code",
        "card security code", "card verification", "card verification code", "card verification value",
        "cvv code", "cvc code", "pruefziffer")
    add(.password, "password", "passwd", "pwd", "pass", "passphrase", "pass phrase", "passcode", "pass word",
        "kennwort", "passwort", "contrasena", "mot de passe", "mdp", "haslo", "wachtwoord", "user password",
        "login password", "new password", "old password", "current password", "confirm password")
    add(.jwt, "jwt", "id token", "access token", "refresh token", "token", "authorization", "bearer",
        "auth token", "session token", "bearer token", "auth", "identity token", "x auth token")
    add(.awsAccessKey, "aws access key", "aws access key id", "access key id", "aws key", "aws key id")
    add(.privateKey, "private key", "privkey", "priv key", "ssh key", "ssh private key", "signing key",
        "tls key", "ssl key", "rsa key", "pem", "key pem")
    add(.apiKey, "api key", "apikey", "api secret", "client secret", "secret", "secret key", "app secret",
        "app key", "access key", "consumer secret", "consumer key", "webhook secret", "signing secret",
        "api token", "private token", "auth key", "x api key", "subscription key", "master key", "secret access key",
        "aws secret access key", "aws secret", "client key", "shared secret", "hmac secret", "service key",
        "personal access token", "pat", "access secret", "app password", "integration key", "license key")
    add(.taxID, "tax id", "tin", "ein", "itin", "vat", "vat number", "vat id", "tax number", "tax no",
        "steuernummer", "steuer id", "steueridentifikationsnummer", "partita iva", "nip", "tax identification number",
        "taxpayer id", "fiscal code", "siren", "siret", "cif", "btw", "utr", "abn")
    add(.nationalID, "national id", "nino", "ni number", "national insurance number", "national insurance",
        "pesel", "aadhaar", "aadhar", "dni", "nie", "bsn", "codice fiscale", "nir", "insee", "personalausweis",
        "id card number", "identity number", "identity card", "personnummer", "cpf", "curp", "sin",
        "national identity number", "citizen id", "id number", "nik", "nric", "personal id", "personal number",
        "cedula", "carte identite", "numero identite")
    add(.bankAccount, "account number", "bank account", "acct", "acct no", "acct number", "account no",
        "bank account number", "kontonummer", "numero compte", "numero cuenta", "account num", "checking account",
        "savings account", "bban", "sort code account")
    add(.abaRoutingNumber, "routing number", "routing", "aba", "aba number", "aba routing", "rtn",
        "routing transit number", "routing no", "bank routing")
    add(.swiftBIC, "bic", "swift", "swift code", "bic code", "swift bic", "bic swift", "swiftbic")
    add(.cryptoWallet, "wallet", "wallet address", "btc address", "eth address", "bitcoin address",
        "ethereum address", "crypto address", "wallet addr", "deposit address", "payout address", "crypto wallet")
    add(.cardTrackData, "track", "track data", "track1", "track2", "track 1", "track 2", "magstripe",
        "mag stripe", "track1 data", "track2 data")
    add(.imei, "imei", "imei number", "device imei", "imei no", "imei1", "imei2", "meid")
    add(.basicAuthCredentials, "basic auth", "basic credentials", "proxy authorization")
    add(.urlWithCredentials, "connection string", "dsn", "database url", "db url", "connection url",
        "redis url", "amqp url", "broker url", "jdbc url", "mongo uri", "mongodb uri", "uri", "url")
    add(.medicalRecordNumber, "mrn", "medical record number", "medical record", "medical record no",
        "chart number", "health record number", "patient mrn", "record number", "ehr id", "emr number")
    add(.healthInsuranceID, "insurance id", "insurance number", "health insurance", "health insurance id",
        "health insurance number", "nhs number", "nhs no", "nhs", "medicare number",
        "medicare", "medicaid", "medicaid id", "subscriber id", "insurance member id", "ehic",
        "versichertennummer", "krankenversicherungsnummer", "carte vitale", "insured id", "health plan id")
    add(.diagnosisCode, "icd", "icd10", "icd 10", "icd code", "icd10 code", "diagnosis code", "diagnosis",
        "dx", "dx code", "diagnosis codes", "primary diagnosis", "condition code", "diagnoses")
    add(.age, "age", "age years", "patient age", "alter", "edad", "eta", "wiek", "leeftijd", "age in years",
        "years old", "customer age")

    // Sequences naming something that is not sensitive: they claim their words first.
    add(nil, "company name", "product name", "file name", "filename", "host name", "hostname", "domain name",
        "user agent", "brand name", "business name", "merchant name", "store name", "shop name", "app name",
        "service name", "device name", "bucket name", "table name", "column name", "field name", "event name",
        "team name", "project name", "org name", "organization name", "organisation name", "vendor name",
        "supplier name", "bank name", "plan name", "display currency", "city name", "country name", "street view",
        "item name", "sku name", "category name", "queue name", "topic name", "key name", "node name",
        "pod name", "cluster name", "namespace name", "job name", "task name", "class name", "method name",
        "package name", "image name", "model name", "region name", "zone name", "tag name", "label name",
        "channel name", "group name", "role name", "policy name", "template name", "campaign name",
        "hotel name", "restaurant name", "venue name", "airline name", "school name", "university name",
        "check name", "step name", "stage name", "course name", "room name", "property name", "building name",
        "site name", "location name", "station name", "airport name", "carrier name", "provider name",
        "pharmacy name", "clinic name", "hospital name", "drug name", "medication name", "game name",
        "document name", "dataset name", "pipeline name", "metric name", "feature name", "setting name",
        "product title", "item title", "job title", "book title", "song title", "page title", "post title",
        "listing title", "listing name", "ticket name", "tier name", "seat name", "item", "sku", "catalog name",
        "account type", "card type", "card brand", "card network", "card last4", "card last four",
        "token type", "grant type", "key id", "kid", "key type", "public key", "publishable key", "pub key",
        "access token expires", "token expires", "expires in", "exp in", "session id", "request id",
        "trace id", "span id", "correlation id", "order number", "invoice number", "tracking number",
        "reference number", "serial number", "model number", "part number", "version number", "build number",
        "page number", "line number", "room number", "seat number", "flight number", "ticket number",
        "case number", "claim number", "item number", "batch number", "lot number", "phone model", "policy number",
        "policy no", "policy id", "document number", "document id", "document type", "location id", "location name",
        "position id", "job title", "position title",
        "mail server", "mail host", "mail port", "address type", "address id", "email template", "email subject",
        "email body", "pass through", "passenger count", "name server", "nameserver", "user id", "customer id",
        "account id", "mac os", "ip version", "ip protocol", "cardinality", "birth place", "place of birth",
        "birth country", "country of birth", "zip", "postal code", "postcode", "city", "country", "state",
        "region", "province", "county")
    return list
  }()

  /// Words that turn a key about a type into a key about something of it: `email_verified`,
  /// `password_hash`, `phone_type`, `is_phone`, `ssn_last4`, `max_password_length`.
  static let modifiers: Set<String> = [
    "verified", "verify", "verification", "count", "counts", "type", "types", "status", "enabled", "disabled",
    "hash", "hashed", "digest", "length", "len", "format", "mask", "masked", "last4", "last", "four", "prefix",
    "suffix", "domain", "provider", "policy", "strength", "updated", "changed", "created", "at", "time",
    "timestamp", "date", "required", "valid", "validated", "confirmed", "consent", "opt", "optin", "optout",
    "preference", "preferences", "visible", "visibility", "error", "errors", "attempts", "attempt", "sent",
    "version", "is", "has", "max", "min", "total", "num", "field", "label", "template", "rule",
    "rules", "regex", "pattern", "reset", "hint", "url", "link", "flag", "country", "region", "code",
    "expires", "expiry", "ttl", "id", "ids", "kind", "encrypted", "salt", "algorithm", "algo", "scheme",
    "present", "exists", "missing", "changed", "expired", "locked", "source", "method", "channel", "style",
    "color", "colour", "icon", "image", "photo", "avatar", "picture", "index", "position", "order", "sort",
    "score", "rating", "level", "limit", "quota", "bucket", "hashes", "fingerprint", "checksum", "token",
  ]

  /// Words that weaken a key when they come first: `is_email`, `max_password_length`.
  static let leadingModifiers: Set<String> = [
    "is", "has", "max", "min", "num", "total", "count", "hashed", "masked", "encrypted", "verified", "validated",
    "allow", "allowed", "require", "requires", "show", "hide", "default", "sample", "example", "placeholder",
  ]

  /// Words after which the earlier word is the head: `name_on_card`, `date_of_issue`.
  static let prepositions: Set<String> = ["on", "of", "for", "in", "at", "from", "per"]

  /// Generic last keys whose meaning comes from the parent key: `card.number`, `address.line1`,
  /// `customer.name`, `location.lat`, `passport.no`.
  static let generic: Set<String> = [
    "number", "no", "num", "nr", "value", "val", "code", "line", "1", "2", "3", "first", "last", "full",
    "given", "family", "middle", "data", "text", "string", "raw", "id", "key", "month", "year", "date",
    "holder", "primary", "secondary", "home", "work", "personal", "main", "other", "current", "new", "old",
  ]

  /// Every word of every pattern and modifier: what run-together keys are split into.
  static let words: Set<String> = {
    var words = Set(patterns.flatMap(\.tokens))
    words.formUnion(modifiers)
    words.formUnion(generic)
    words.formUnion([
      "of", "on", "in", "for", "the", "and", "to", "by", "customer", "user", "client", "account", "billing",
      "shipping", "contact", "primary", "secondary", "home", "work", "office", "personal", "business", "patient",
      "employee", "member", "owner", "buyer", "seller", "sender", "receiver", "card", "bank", "payment", "pay",
      "credit", "debit", "date", "day", "month", "year", "yy", "mm", "dd", "yyyy", "info", "details", "detail",
      "data", "profile", "person", "people", "device", "client", "server", "remote", "local", "origin", "from",
      "to", "cc", "bcc", "reply", "verification", "security", "secret", "private", "public", "key", "token",
      "access", "refresh", "session", "auth", "api", "app", "web", "hook", "street", "zip", "postal", "code",
      "city", "state", "country", "line", "address", "emergency", "next", "kin", "birth", "place", "policy", "holder",
      "registered", "applicant", "guardian", "remote", "identity", "document", "courier", "deliver", "billing",
    ])
    return words
  }()
}

extension KeyVocabulary {
  /// Words of organisations, places and things that are not people: a "name" holding one of them
  /// (`Initech Systems Hotel`, `Harbor Freight Partners`) is not a person's.
  static let organisationWords: Set<String> = NameDictionary.words(
    """
    inc inc. ltd ltd. llc gmbh ag sa sas sarl bv nv srl spa plc corp corp. co co. company companies corporation
    group holding holdings partners partnership systems solutions technologies technology tech labs lab software
    services service consulting capital bank banking financial finance insurance telecom communications media
    publishing press industries international global logistics foods food restaurant cafe café bistro bar grill
    kitchen pizzeria pizza sushi burger hotel hotels inn resort hostel motel suites lodge airlines airline airways
    motors auto automotive energy pharma pharmaceuticals health healthcare clinic hospital school university
    college academy institute foundation association club store stores shop market supermarket mart retail
    trading enterprises ventures studio studios agency network networks cloud data digital online express
    airport station center centre mall park plaza tower building apartments gym fitness salon spa
    """)
}
