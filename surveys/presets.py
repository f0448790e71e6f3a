"""The two questionnaires SI-PUTRI ships: OKI's 10 elements (the default) and the national 9
of PermenPANRB 14/2017 (the same without ``maklumat``)."""

OKI_ELEMENTS = [
    {
        "code": "persyaratan",
        "name_id": "Persyaratan",
        "name_en": "Requirements",
        "question_id": "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        "question_en": "How well do the requirements fit the service?",
        "labels_id": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        "labels_en": ["Not fitting", "Barely fitting", "Fitting", "Very fitting"],
    },
    {
        "code": "prosedur",
        "name_id": "Sistem, Mekanisme, dan Prosedur",
        "name_en": "System, mechanism and procedure",
        "question_id": "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "question_en": "How easy was the service procedure?",
        "labels_id": ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
        "labels_en": ["Not easy", "Not very easy", "Easy", "Very easy"],
    },
    {
        "code": "waktu",
        "name_id": "Waktu Penyelesaian",
        "name_en": "Completion time",
        "question_id": "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "question_en": "How fast was the service?",
        "labels_id": ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
        "labels_en": ["Not fast", "Not very fast", "Fast", "Very fast"],
    },
    {
        "code": "biaya",
        "name_id": "Biaya/Tarif",
        "name_en": "Cost/fee",
        "question_id": "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "question_en": "How fair was the fee?",
        "labels_id": ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
        "labels_en": ["Very expensive", "Rather expensive", "Cheap", "Free"],
    },
    {
        "code": "produk",
        "name_id": "Produk Spesifikasi Jenis Pelayanan",
        "name_en": "Product specification",
        "question_id": (
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
            "standar pelayanan dengan hasil yang diberikan?"
        ),
        "question_en": "How well did what you received match the product in the service standard?",
        "labels_id": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        "labels_en": ["Not matching", "Barely matching", "Matching", "Fully matching"],
    },
    {
        "code": "kompetensi",
        "name_id": "Kompetensi Pelaksana",
        "name_en": "Staff competence",
        "question_id": "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "question_en": "How competent were the staff?",
        "labels_id": ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
        "labels_en": ["Not competent", "Barely competent", "Competent", "Very competent"],
    },
    {
        "code": "perilaku",
        "name_id": "Perilaku Pelaksana",
        "name_en": "Staff conduct",
        "question_id": (
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"
        ),
        "question_en": "How polite and friendly were the staff?",
        "labels_id": [
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ],
        "labels_en": [
            "Not polite or friendly",
            "Barely polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ],
    },
    {
        "code": "maklumat",
        "name_id": "Maklumat Pelayanan",
        "name_en": "Service pledge",
        "question_id": "Bagaimana pendapat Saudara tentang ketersediaan Maklumat Pelayanan di unit ini?",
        "question_en": "Was the service pledge (Maklumat Pelayanan) available and clear?",
        "labels_id": [
            "Tidak tersedia",
            "Tersedia tetapi tidak jelas",
            "Tersedia dan cukup jelas",
            "Tersedia dan sangat jelas",
        ],
        "labels_en": [
            "Not available",
            "Available but unclear",
            "Available and fairly clear",
            "Available and very clear",
        ],
    },
    {
        "code": "pengaduan",
        "name_id": "Penanganan Pengaduan, Saran dan Masukan",
        "name_en": "Handling of complaints, suggestions and feedback",
        "question_id": "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "question_en": "How were complaints handled?",
        "labels_id": ["Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"],
        "labels_en": ["No channel", "A channel that does not work", "Works, not fully", "Well managed"],
    },
    {
        "code": "sarana",
        "name_id": "Sarana dan Prasarana",
        "name_en": "Facilities",
        "question_id": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "question_en": "What was the quality of the facilities?",
        "labels_id": ["Buruk", "Cukup", "Baik", "Sangat baik"],
        "labels_en": ["Poor", "Fair", "Good", "Very good"],
    },
]

NATIONAL_ELEMENTS = [element for element in OKI_ELEMENTS if element["code"] != "maklumat"]

PRESETS = {
    "oki": ("SKM Kabupaten Ogan Komering Ilir (10 unsur)", OKI_ELEMENTS),
    "national": ("SKM PermenPANRB 14/2017 (9 unsur)", NATIONAL_ELEMENTS),
}
