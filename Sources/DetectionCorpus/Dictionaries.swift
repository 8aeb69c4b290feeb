@_spi(Training) import Detection

/// Word lists the corpus draws names, places, companies and products from. Every entry was typed
/// by hand for this corpus from general knowledge of common names and place-name patterns; nothing
/// here was fetched or copied from a package or data set. Most entries are invented (streets,
/// companies, products); first names and surnames are common ones of each locale.
///
/// Each list is cut in two halves by a hash of the entry, so that the same word always falls in
/// the same half whichever list it is in: `train` draws from one half, `heldOut` from the other.
enum Dictionaries {
  struct LocaleWords: Sendable {
    var firstNames: [String]
    var lastNames: [String]
    var streets: [String]
    var cities: [String]
  }

  static func words(_ split: CorpusSplit, _ locale: CorpusLocale) -> LocaleWords {
    let all = split == .train ? trainWords : heldOutWords
    return all[locale.index]
  }

  static func companies(_ split: CorpusSplit) -> [String] { split == .train ? trainCompanies : heldOutCompanies }
  static func products(_ split: CorpusSplit) -> [String] { split == .train ? trainProducts : heldOutProducts }

  /// Whether an entry belongs to the train half.
  static func isTrainHalf(_ word: String) -> Bool {
    (FNV1a.hash(word) >> 7) & 1 == 0
  }

  static func half(_ list: [String], _ split: CorpusSplit) -> [String] {
    let wanted = split == .train
    let chosen = list.filter { isTrainHalf($0) == wanted }
    // Never empty: a tiny list keeps at least its first entry of the right half or, failing that, a
    // marker that can be told apart (only reached if a list is edited down to one side).
    return chosen.isEmpty ? [wanted ? "Alpha" : "Omega"] : chosen
  }

  static let trainWords: [LocaleWords] = allWords.map { split($0, .train) }
  static let heldOutWords: [LocaleWords] = allWords.map { split($0, .heldOut) }
  static let trainCompanies = half(companies, .train)
  static let heldOutCompanies = half(companies, .heldOut)
  static let trainProducts = half(products, .train)
  static let heldOutProducts = half(products, .heldOut)

  private static func split(_ words: LocaleWords, _ split: CorpusSplit) -> LocaleWords {
    LocaleWords(
      firstNames: half(words.firstNames, split), lastNames: half(words.lastNames, split),
      streets: half(words.streets, split), cities: half(words.cities, split))
  }

  private static func list(_ text: String) -> [String] {
    text.split(separator: ",").map { String($0.drop(while: { $0 == " " || $0 == "\n" })) }.filter { !$0.isEmpty }
  }

  /// In `CorpusLocale.allCases` order.
  static let allWords: [LocaleWords] = [
    // en-US
    LocaleWords(
      firstNames: list(
        """
        James, Mary, Robert, Patricia, John, Jennifer, Michael, Linda, David, Elizabeth, William, Barbara,
        Richard, Susan, Joseph, Jessica, Thomas, Sarah, Christopher, Karen, Daniel, Nancy, Matthew, Lisa,
        Anthony, Betty, Mark, Ashley, Donald, Kimberly, Steven, Emily, Andrew, Donna, Joshua, Michelle,
        Kevin, Amanda, Brian, Melissa, Tyler, Brittany, Jordan, Taylor
        """),
      lastNames: list(
        """
        Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez, Hernandez, Lopez,
        Gonzalez, Wilson, Anderson, Thomas, Moore, Jackson, Martin, Lee, Thompson, White, Harris, Clark,
        Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Hill, Green, Adams, Baker, Nelson, Carter,
        Mitchell, Perez, Roberts, Turner, Phillips, Campbell
        """),
      streets: list(
        """
        Maple Ave, Oak Street, Pine Road, Cedar Lane, Elm Street, Washington Blvd, Lakeview Drive, Sunset Blvd,
        Park Avenue, Highland Ave, Church Street, Mill Road, Ridge Road, Meadow Lane, Forest Drive, Hillcrest Road,
        Jefferson Street, Lincoln Avenue, Madison Court, Willow Way, Spring Street, Chestnut Street, River Road,
        Valley View Drive
        """),
      cities: list(
        """
        Springfield, Portland, Austin, Denver, Columbus, Madison, Raleigh, Boise, Tucson, Omaha, Richmond,
        Sacramento, Albany, Savannah, Spokane, Dayton, Fresno, Tulsa, Wichita, Reno
        """)),
    // en-GB
    LocaleWords(
      firstNames: list(
        """
        Oliver, Amelia, Harry, Isla, George, Olivia, Noah, Ava, Jack, Emily, Charlie, Sophie, Thomas, Grace,
        Oscar, Lily, Alfie, Freya, Archie, Poppy, Henry, Evie, Leo, Ruby, Alistair, Fiona, Callum, Niamh,
        Rhys, Bethan, Hamish, Imogen, Rory, Harriet, Ewan, Philippa
        """),
      lastNames: list(
        """
        Taylor, Davies, Evans, Wilson, Roberts, Wright, Walker, Robinson, Thompson, Hughes, Edwards, Green,
        Hall, Wood, Harris, Lewis, Jackson, Clarke, Patel, Turner, Hill, Cooper, Ward, Morris, Moore, Watson,
        Bennett, Griffiths, Fletcher, Pemberton, Ashworth, Whitaker, Kershaw, Oakley, Sinclair, Macdonald
        """),
      streets: list(
        """
        High Street, Station Road, Church Lane, Victoria Road, Mill Lane, Park Road, Queens Road, The Green,
        Manor Road, Kings Road, London Road, Chapel Street, Orchard Close, Springfield Road, Windsor Avenue,
        Grange Road, Albert Street, Beech Grove, Hawthorn Crescent, Meadow View
        """),
      cities: list(
        """
        Leeds, Bristol, Sheffield, Nottingham, Cardiff, Brighton, Oxford, Cambridge, York, Norwich, Bath,
        Exeter, Glasgow, Edinburgh, Leicester, Reading, Derby, Swansea
        """)),
    // de-DE
    LocaleWords(
      firstNames: list(
        """
        Lukas, Anna, Leon, Marie, Finn, Sophie, Jonas, Lena, Paul, Laura, Felix, Lea, Maximilian, Hannah,
        Tobias, Julia, Florian, Katharina, Stefan, Sabine, Jürgen, Ute, Dieter, Heike, Matthias, Jana,
        Sebastian, Anja, Moritz, Clara, Henrik, Greta, Uwe, Birgit, Kai, Frieda
        """),
      lastNames: list(
        """
        Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Schäfer, Koch,
        Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger, Hofmann, Hartmann,
        Lange, Schmitt, Werner, Krause, Lehmann, Köhler, Maier, Huber, Kaiser, Fuchs, Vogel, Brandt
        """),
      streets: list(
        """
        Hauptstraße, Bahnhofstraße, Gartenstraße, Schulstraße, Dorfstraße, Bergstraße, Lindenstraße,
        Kirchweg, Waldstraße, Ringstraße, Am Markt, Rosenweg, Goethestraße, Schillerstraße, Mühlenweg,
        Birkenallee, Lindenallee, Friedrichstraße, Kastanienweg, Uferstraße
        """),
      cities: list(
        """
        Berlin, Hamburg, München, Köln, Frankfurt am Main, Stuttgart, Düsseldorf, Leipzig, Dortmund, Essen,
        Bremen, Dresden, Hannover, Nürnberg, Freiburg, Augsburg, Kiel, Rostock
        """)),
    // fr-FR
    LocaleWords(
      firstNames: list(
        """
        Gabriel, Louise, Raphaël, Jade, Léo, Ambre, Louis, Chloé, Lucas, Manon, Hugo, Camille, Arthur, Inès,
        Jules, Léa, Mathis, Zoé, Nathan, Juliette, Antoine, Margaux, Théo, Élodie, Guillaume, Aurélie,
        Sébastien, Céline, Mathieu, Sandrine, Baptiste, Océane, Maxime, Clémence, Quentin, Solène
        """),
      lastNames: list(
        """
        Martin, Bernard, Dubois, Durand, Leroy, Moreau, Simon, Laurent, Lefebvre, Michel, Garcia, David,
        Bertrand, Roux, Vincent, Fournier, Morel, Girard, Andre, Lefevre, Mercier, Dupont, Lambert, Bonnet,
        François, Martinez, Legrand, Garnier, Faure, Rousseau, Blanc, Guerin, Muller, Henry, Roussel, Chevalier
        """),
      streets: list(
        """
        rue de la Paix, rue Victor Hugo, avenue des Champs, boulevard Voltaire, rue de la République,
        rue Jean Jaurès, place de la Mairie, rue du Moulin, chemin des Vignes, allée des Tilleuls,
        rue Pasteur, avenue Foch, rue de la Gare, impasse des Lilas, rue Nationale, quai de la Loire,
        rue des Écoles, avenue de Verdun
        """),
      cities: list(
        """
        Paris, Lyon, Marseille, Toulouse, Nice, Nantes, Strasbourg, Montpellier, Bordeaux, Lille, Rennes,
        Reims, Dijon, Grenoble, Angers, Tours, Brest, Limoges
        """)),
    // es-ES
    LocaleWords(
      firstNames: list(
        """
        Hugo, Lucía, Martín, Sofía, Pablo, María, Alejandro, Paula, Daniel, Valeria, Álvaro, Carmen, Javier,
        Elena, Sergio, Laura, Diego, Marta, Adrián, Irene, Jorge, Cristina, Raúl, Nuria, Iker, Ainhoa,
        Rubén, Pilar, Gonzalo, Rocío, Íñigo, Begoña
        """),
      lastNames: list(
        """
        García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Martín, Jiménez, Ruiz,
        Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Alonso, Gutiérrez, Navarro, Torres, Domínguez, Vázquez,
        Ramos, Gil, Ramírez, Serrano, Blanco, Molina, Castillo, Ortega
        """),
      streets: list(
        """
        Calle Mayor, Calle Real, Avenida de la Constitución, Calle del Sol, Paseo de Gracia, Calle Alcalá,
        Gran Vía, Calle San Juan, Plaza de España, Calle de la Iglesia, Avenida del Puerto, Calle Nueva,
        Calle del Carmen, Ronda de Toledo, Calle Serrano, Camino Viejo
        """),
      cities: list(
        """
        Madrid, Barcelona, Valencia, Sevilla, Zaragoza, Málaga, Murcia, Palma, Bilbao, Alicante, Córdoba,
        Valladolid, Vigo, Gijón, Granada, Salamanca
        """)),
    // it-IT
    LocaleWords(
      firstNames: list(
        """
        Leonardo, Sofia, Francesco, Giulia, Alessandro, Aurora, Lorenzo, Alice, Mattia, Ginevra, Andrea, Emma,
        Gabriele, Giorgia, Riccardo, Beatrice, Tommaso, Chiara, Marco, Francesca, Luca, Federica, Giuseppe,
        Alessia, Matteo, Martina, Davide, Elisa, Stefano, Valentina, Simone, Ilaria
        """),
      lastNames: list(
        """
        Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo, Conti,
        De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri, Fontana, Santoro, Mariani,
        Rinaldi, Caruso, Ferrara, Galli, Martini, Leone, Longo, Gentile
        """),
      streets: list(
        """
        Via Roma, Via Garibaldi, Via Mazzini, Corso Vittorio Emanuele, Via Verdi, Via Dante, Piazza del Duomo,
        Via Cavour, Via della Repubblica, Viale Europa, Via San Francesco, Via Manzoni, Corso Italia,
        Via dei Mille, Via Leopardi, Viale dei Pini
        """),
      cities: list(
        """
        Roma, Milano, Napoli, Torino, Palermo, Genova, Bologna, Firenze, Bari, Catania, Venezia, Verona,
        Padova, Trieste, Brescia, Parma
        """)),
    // pl-PL
    LocaleWords(
      firstNames: list(
        """
        Jakub, Zuzanna, Antoni, Julia, Jan, Zofia, Szymon, Hanna, Filip, Maja, Kacper, Lena, Wojciech, Alicja,
        Mateusz, Natalia, Piotr, Agnieszka, Krzysztof, Katarzyna, Tomasz, Małgorzata, Paweł, Ewa, Łukasz,
        Magdalena, Michał, Joanna, Grzegorz, Dorota, Marcin, Barbara
        """),
      lastNames: list(
        """
        Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, Szymański, Woźniak,
        Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk, Piotrowski, Grabowski, Nowakowski,
        Pawłowski, Michalski, Król, Wieczorek, Jabłoński, Wróbel, Majewski, Olszewski, Stępień, Malinowski,
        Jaworski, Adamczyk, Dudek
        """),
      streets: list(
        """
        ul. Długa, ul. Kwiatowa, ul. Polna, ul. Leśna, ul. Słoneczna, ul. Krótka, ul. Szkolna, ul. Ogrodowa,
        ul. Lipowa, ul. Brzozowa, ul. Łąkowa, ul. Kościelna, ul. Mickiewicza, ul. Sienkiewicza, al. Jana Pawła II,
        ul. Marszałkowska
        """),
      cities: list(
        """
        Warszawa, Kraków, Łódź, Wrocław, Poznań, Gdańsk, Szczecin, Bydgoszcz, Lublin, Białystok, Katowice,
        Gdynia, Częstochowa, Radom, Toruń, Rzeszów
        """)),
    // nl-NL
    LocaleWords(
      firstNames: list(
        """
        Daan, Emma, Sem, Julia, Lucas, Mila, Levi, Tess, Finn, Sophie, Milan, Zoë, Bram, Sara, Thijs, Anna,
        Ruben, Fleur, Jesse, Lotte, Niels, Sanne, Joris, Femke, Pieter, Marloes, Willem, Ilse, Gert, Anouk,
        Stijn, Roos
        """),
      lastNames: list(
        """
        de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer, de Boer, Mulder,
        de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer, de Wit, Dijkstra, Smits, de Graaf,
        van der Meer, van der Linden, Kok, Jacobs, de Haan, Vermeulen, van den Heuvel, Verhoeven
        """),
      streets: list(
        """
        Keizersgracht, Herengracht, Kerkstraat, Dorpsstraat, Molenweg, Stationsweg, Schoolstraat, Julianalaan,
        Beatrixstraat, Wilhelminastraat, Prinsengracht, Nieuwe Binnenweg, Oranjelaan, Marktplein, Lindenlaan,
        Vondelstraat
        """),
      cities: list(
        """
        Amsterdam, Rotterdam, Den Haag, Utrecht, Eindhoven, Groningen, Tilburg, Almere, Breda, Nijmegen,
        Haarlem, Arnhem, Enschede, Leiden, Maastricht, Zwolle
        """)),
  ]

  static let companies = list(
    """
    Acme Logistics, Bluewave Analytics, Northwind Traders, Contoso Retail, Globex Corporation, Initech Systems,
    Umbrella Health, Stark Components, Wayne Freight, Hooli Cloud, Vandelay Industries, Soylent Foods,
    Tyrell Biotech, Cyberdyne Robotics, Wonka Confectionery, Oceanic Airlines, Pied Piper Data, Aperture Labs,
    Massive Dynamic, Gringotts Finance, Dunder Paper Co, Sterling Cooper Media, Monarch Insurance,
    Blue Sun Energy, Nakatomi Trading, Duff Beverages, Gekko Capital, Prestige Worldwide, Virtucon Group,
    Brightline Software, Kestrel Pharma, Lumen Optics, Harbor Freight Partners, Summit Outdoor, Polar Bank,
    Fjord Mobility, Helios Solar, Quantum Parcel, Redwood Mutual, Silverline Telecom, Tandem Payments,
    Urban Nest Realty, Vertex Labs, Willow Care Clinics, Zephyr Airways, Cobalt Security, Ember Kitchens,
    Granite Bank, Ironclad Storage, Juniper Learning, Krypton Games, Lighthouse Media, Meridian Shipping,
    Nimbus Hosting, Orbit Travel, Pinnacle Motors, Quill Publishing, Riverstone Foods, Saffron Spices GmbH,
    Tessellate SARL, Uberwald AG, Viale Moda SpA, Wisła Logistyka Sp. z o.o., Zeeland Bouw BV
    """)

  static let products = list(
    """
    Ultra Comfort Pillow, Trail Runner 3 Shoes, Espresso Maker Pro, Wireless Earbuds X2, Organic Green Tea,
    Steel Water Bottle 750ml, Ergo Desk Chair, 4K Action Camera, Smart Thermostat, Yoga Mat Deluxe,
    Cast Iron Skillet, Noise Cancelling Headphones, Leather Wallet, Merino Wool Socks, LED Desk Lamp,
    Mechanical Keyboard, USB-C Charger 65W, Hiking Backpack 30L, Ceramic Vase, Bamboo Cutting Board,
    Running Shorts, Rain Jacket, Linen Shirt, Denim Jeans Slim, Sunglasses Aviator, Portable Speaker,
    Electric Toothbrush, Air Purifier, Robot Vacuum S7, Baby Stroller, Dog Bed Large, Cat Tree Tower,
    Garden Hose 20m, Cordless Drill, Paint Roller Set, Board Game Classic, Puzzle 1000 Pieces, Coffee Beans 1kg,
    Dark Chocolate Bar, Olive Oil Extra Virgin, Pasta Fusilli 500g, Sparkling Water 6-pack, Vitamin D3 Drops,
    Sunscreen SPF50, Shampoo Repair, Face Serum, Notebook A5 Dotted, Fountain Pen, Tablet Stand, Phone Case Clear,
    Smartwatch Series 5, E-Reader Paperlite, Gaming Mouse, Monitor 27 inch, Webcam HD, Router AX3000,
    Power Bank 20000mAh, Travel Adapter, Camping Tent 2P, Sleeping Bag, Kayak Paddle, Bike Helmet, Ski Goggles
    """)

  /// The first names above that are usually women's, so a person's gender agrees with their name.
  static let femaleFirstNames: Set<String> = Set(
    list(
      """
      Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah, Karen, Nancy, Lisa, Betty,
      Ashley, Kimberly, Emily, Donna, Michelle, Amanda, Melissa, Brittany, Taylor, Amelia, Isla, Olivia, Ava,
      Sophie, Grace, Lily, Freya, Poppy, Evie, Ruby, Fiona, Niamh, Bethan, Imogen, Harriet, Philippa, Anna, Marie,
      Lena, Laura, Lea, Hannah, Julia, Katharina, Sabine, Ute, Heike, Jana, Anja, Clara, Greta, Birgit, Frieda,
      Louise, Jade, Ambre, Chloé, Manon, Camille, Inès, Léa, Zoé, Juliette, Margaux, Élodie, Aurélie, Céline,
      Sandrine, Océane, Clémence, Solène, Lucía, Sofía, María, Paula, Valeria, Carmen, Elena, Marta, Irene,
      Cristina, Nuria, Ainhoa, Pilar, Rocío, Begoña, Sofia, Giulia, Aurora, Alice, Ginevra, Emma, Giorgia,
      Beatrice, Chiara, Francesca, Federica, Alessia, Martina, Elisa, Valentina, Ilaria, Zuzanna, Zofia, Maja,
      Alicja, Natalia, Agnieszka, Katarzyna, Małgorzata, Ewa, Magdalena, Joanna, Dorota, Mila, Tess, Zoë, Sara,
      Fleur, Lotte, Sanne, Femke, Marloes, Ilse, Anouk, Roos
      """))
}
