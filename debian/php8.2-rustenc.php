mod debian/rustenc.ini
