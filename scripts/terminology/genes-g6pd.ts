/**
 * CPIC G6PD allele functionality (WHO class / CPIC function), as published in CPIC's G6PD allele table and
 * redistributed by PharmGKB/PharmCAT (src/main/resources/org/pharmgkb/pharmcat/phenotype/cpic/G6PD.json,
 * commit 209032d0). Grouped by function to keep the list short; names are CPIC's, synonyms comma-separated.
 */
export const G6PD_SOURCE = 'PharmGKB/PharmCAT phenotype/cpic/G6PD.json (commit 209032d0): CPIC G6PD allele functionality';

export const G6PD_FUNCTIONS: Record<string, string[]> = {
  'IV/Normal': ['B (reference)', 'A', 'Insuli', "Mira d'Aire", 'Sao Borja'],
  'III/Deficient': [
    'A- 202A_376G', 'A- 680T_376G', 'A- 968C_376G', 'Asahi', 'Aures', 'Bajo Maumere', 'Chinese-5', 'Gaohe', 'Guangzhou',
    'Hammersmith', 'Ilesha', 'Kalyan-Kerala, Jamnaga, Rohini', 'Kambos', 'Kamiube, Keelung', 'Lages', 'Lagosanto',
    'Mahidol', 'Malaga', 'Metaponto', 'Mexico City', 'Montalbano', 'Murcia Oristano', 'Musashino', 'Nanning', 'Neapolis',
    'Nice', 'Orissa', 'Palestrina', 'Quing Yan', 'Rignano', 'Salerno Pyrgos', 'Seattle, Lodi, Modena, Ferrara II, Athens-like',
    'Sibari', 'Sierra Leone', 'Sinnai', 'Split', 'Ube Konan',
  ],
  'II/Deficient': [
    'Abeno', 'Acrokorinthos', 'Amazonia', 'Anadia', 'Ananindeua', 'Andalus', 'Bao Loc', 'Belem', 'Cairo',
    'Canton, Taiwan-Hakka, Gifu-like, Agrigento-like', 'Cassano', 'Chatham', 'Chinese-1', 'Coimbra Shunde', 'Cosenza',
    'Costanzo', 'Crispim', 'Farroupilha', 'Flores', 'Fushan', 'Haikou', 'Hechi', 'Hermoupolis', 'Ierapetra',
    'Kaiping, Anant, Dhon, Sapporo-like, Wosera', 'Kamogawa', 'Liuzhou', 'Ludhiana',
    'Mediterranean, Dallas, Panama, Sassari, Cagliari, Birmingham', 'Mediterranean Haplotype', 'Miaoli', 'Mizushima',
    'Namouru', 'Nankang', 'Naone', 'Nilgiri', 'Osaka', 'Partenope', 'Pawnee', 'Radlowo', 'Roubaix', 'Santa Maria',
    'S. Antioco', 'Seoul', 'Shenzen', 'Songklanagarind', 'Surabaya', 'Taipei, Chinese-3', 'Toledo',
    'Union,Maewo, Chinese-2, Kalo', 'Valladolid', 'Vanua Lava', 'Viangchan, Jammu',
  ],
  'I/Deficient with CNSHA': [
    '202G>A_376A>G_1264C>G', 'Aachen', 'Alhambra', 'Amiens', 'Amsterdam', 'Arakawa', 'Asahikawa', 'Aveiro', 'Bangkok',
    'Bangkok Noi', 'Bari', 'Beverly Hills, Genova, Iwate, Niigata, Yamaguchi', 'Brighton', 'Buenos Aires', 'Calvo Mackenna',
    'Campinas', 'Chikugo', 'Cincinnati', 'Cleveland Corum', 'Clinic', 'Covao do Lobo', 'Durham', 'Figuera da Foz', 'Fukaya',
    'Georgia', 'Guadalajara', 'Harilaou', 'Harima', 'Hartford', 'Honiara', 'Iowa, Walter Reed, Springfield', 'Iwatsuki',
    'Japan, Shinagawa', 'Kawasaki', 'Kozukata', 'Krakow', 'La Jolla', 'Lille', 'Loma Linda', 'Lynwood', 'Madrid',
    'Manhattan', 'Minnesota, Marion, Gastonia, LeJeune', 'Montpellier', 'Mt Sinai', 'Munich', 'Nara',
    'Nashville, Anaheim, Portici', 'No name', 'North Dallas', 'Olomouc', 'Omiya', 'Pedoplis-Ckaro', 'Piotrkow', 'Plymouth',
    'Praha', 'Puerto Limon', 'Rehevot', 'Riley', 'Riverside', 'Santiago', 'Santiago de Cuba, Morioka', 'Serres', 'Shinshu',
    'Stonybrook', 'Sugao', 'Sumare', 'Sunderland', 'Suwalki', 'Swansea', 'Telti/Kobe', 'Tenri', 'Tokyo, Fukushima', 'Tomah',
    'Tondela', 'Torun', 'Tsukui', 'Urayasu', 'Utrecht', 'Vancouver', 'Villeurbanne', 'Volendam', 'Wayne', 'West Virginia',
    'Wexham', 'Wisconsin',
  ],
  'Uncertain function': ['Dagua', 'Gidra', 'Gond', 'Laibin', 'Papua', 'Yunan'],
};
