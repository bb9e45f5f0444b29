export * from './exclusion.dto';
export * from './gallery.dto';
export * from './serial-flag.dto';
export * from './subject.dto';
