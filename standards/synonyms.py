"""The synonym list: its shipped Indonesian default and the one-line-per-meaning text form the
super admin edits ("e-KTP, KTP elektronik = KTP-el")."""

from django.utils.translation import gettext as _

# The names citizens use, on the left; the words regencies' service standards use, on the right.
DEFAULT_SYNONYMS = """\
e-KTP, eKTP, KTP elektronik, kartu tanda penduduk, KTP baru, KTP hilang, KTP rusak = KTP-el
akte = akta
lahir, akte lahir, surat lahir, akta lahir = akta kelahiran
akte mati, surat kematian, akta mati, meninggal, meninggal dunia = akta kematian
KK, kartu KK, KK baru = kartu keluarga
kartu anak, KTP anak = kartu identitas anak
KTP digital, identitas digital = identitas kependudukan digital
surat pindah, pindah domisili, pindah alamat, pindah keluar = surat keterangan pindah
pindah masuk, datang = pindah datang
IMB, izin mendirikan bangunan, izin bangunan, izin membangun = PBG
SIUP, TDP, izin usaha, izin dagang, surat izin usaha, IUMK, izin usaha mikro = NIB
izin usaha kecil = NIB usaha mikro dan kecil
kartu kuning, AK1, AK-1, AK/1, kartu pencari kerja, kartu pencaker, pencaker = kartu AK/I
surat miskin, surat tidak mampu, keterangan miskin, keterangan tidak mampu = SKTM
PBB, pajak bumi dan bangunan, pajak bumi, pajak rumah, SPPT = PBB-P2
pajak jual beli tanah, pajak balik nama tanah = BPHTB
KIR, uji kendaraan, uji mobil, uji truk = uji KIR
bansos, bantuan sosial, DTKS, data miskin = DTSEN
KIS, BPJS gratis, BPJS PBI, jaminan kesehatan gratis = PBI-JK
PIRT, P-IRT, izin makanan rumahan, izin pangan = SPP-IRT
surat sehat, surat keterangan dokter, keterangan sehat = surat keterangan sehat
berobat, periksa, poli, poliklinik = rawat jalan
opname, dirawat, mondok = rawat inap
cek darah, cek lab, lab = laboratorium
vaksin, vaksinasi, suntik = imunisasi
ambulans, ambulan, gawat darurat, PSC = PSC 119
UGD, emergensi = IGD
legalisir ijazah, fotokopi ijazah = legalisir ijazah
pindah sekolah = mutasi peserta didik
surat waris, waris = ahli waris
surat tanah, SKT, SPH, sporadik = surat keterangan tanah
izin hajatan, izin acara, izin pesta, izin keramaian = rekomendasi izin keramaian
damkar, pemadam, kebakaran, rumah terbakar = pemadaman kebakaran
timbangan, tera ulang, UTTP = tera
pupuk subsidi, RDKK, kartu tani = e-RDKK
hama, penyakit tanaman = OPT
sertifikat halal, label halal = halal
informasi publik, minta informasi, PPID = permohonan informasi publik
email dinas, surel dinas, domain = subdomain
naik pangkat, kenaikan golongan = kenaikan pangkat
pensiun PNS, purnatugas = pensiun
cuti PNS, izin cuti = cuti
lapor, melapor, aduan, komplain = pengaduan
rekomtek jalan, izin jalan = rekomendasi teknis jalan
tata ruang, KRK, KKPR = informasi tata ruang
"""


class SynonymTextError(ValueError):
    """A line of the synonym text is not "term, term = replacement"; the message says which."""


def parse_synonyms(text: str) -> list[tuple[str, str]]:
    """(term, replacement) pairs from the editable text; blank lines and lines starting with
    "#" are skipped. Raises SynonymTextError naming the first bad line."""
    pairs: dict[str, tuple[str, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        terms, equals, replacement = line.partition("=")
        replacement = " ".join(replacement.split())
        terms_list = [" ".join(term.split()) for term in terms.split(",") if term.strip()]
        if not equals or not replacement or not terms_list:
            raise SynonymTextError(
                _('Line %(number)s: write the names people use, then "=", then the name services carry.')
                % {"number": number}
            )
        if len(replacement) > 200 or any(len(term) > 100 for term in terms_list):
            raise SynonymTextError(_("Line %(number)s is too long.") % {"number": number})
        for term in terms_list:
            pairs.setdefault(term.casefold(), (term, replacement))
    return list(pairs.values())


def format_synonyms(pairs: list[tuple[str, str]]) -> str:
    """The editable text of (term, replacement) pairs, one line per replacement."""
    grouped: dict[str, list[str]] = {}
    for term, replacement in pairs:
        grouped.setdefault(replacement, []).append(term)
    return "".join(f"{', '.join(terms)} = {replacement}\n" for replacement, terms in grouped.items())
