function v = zmqtest_value(which)
% Remote-call test function: arrays of various classes, selected by name.
switch which
  case 'logical'
    v = logical([1 0 1]);
  case 'complex'
    v = single([1+2i; 3-4i]);
  case 'complexdouble'
    v = [0.5-1i, 2+0.25i];
  case 'uint64'
    v = uint64([0; 18446744073709551615]);
  case 'int8scalar'
    v = int8(-5);
  case 'cellstr'
    v = {'a', 'bc'; 'd', ''};
  case 'cellmixed'
    v = {int8([1 2 3]), 'txt', [], {'x', 'y'}};
  case 'fourd'
    v = reshape(uint32(1:24), 2, 3, 2, 2);
  case 'fived'
    v = zeros(2, 1, 1, 1, 2);
  case 'row'
    v = [1.5 2.5 3.5];
  case 'empty'
    v = [];
  case 'emptychar'
    v = '';
  case 'charmatrix'
    v = ['ab'; 'cd'];
  case 'nan'
    v = NaN;
  case 'utf8'
    v = 'Grüße';
  otherwise
    error('zmqtest:value', 'unknown value %s', which);
end
end
