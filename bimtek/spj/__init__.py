"""SPJ (surat pertanggungjawaban): the accountability file of a funded event, from the data
the app already holds: kop surat and signature blocks on every document, money tables,
honor, kontribusi, letters, dokumentasi and the bundle."""
