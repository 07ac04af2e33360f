"""Pesawaran's legal references that several of its demo agreements cite."""

_DPRD = (
    "Keputusan DPRD Kabupaten Pesawaran Nomor {n} Tahun {{year}} tentang Persetujuan Kerja Sama Daerah dengan {whom}"
)
_MENDAGRI = "Surat Persetujuan Menteri Dalam Negeri Nomor 100.4.6/{n}/OTDA Tahun {{year}}"
_KSP_BASIS = (
    "PP Nomor 27 Tahun 2014 tentang Pengelolaan Barang Milik Negara/Daerah sebagaimana diubah dengan PP Nomor 28 "
    "Tahun 2020: jangka waktu kerja sama pemanfaatan barang milik daerah paling lama 30 tahun."
)
