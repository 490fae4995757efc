function check_subscriber()
% Receives what octave_tests.py publishes on $ZMQTEST_PUB, in three phases announced on
% stdout: text messages, four-frame messages with numeric frames, then ScanImage frames
% (a 40-byte header of 5 doubles, then int16 pixels in (x, y, channel) order).
zeromq_stop();
zeromq_sub_connect(getenv('ZMQTEST_PUB'));

announce('text');
zeromq_sub_add_filter('txt');
[msg, filter] = zeromq_sub_recv();
zmqtest_check(strcmp(msg, 'hello from python') && strcmp(filter, 'txt'), 'a text message');
zeromq_sub_remove_filter('txt');

announce('frames');
zeromq_sub_add_filter('frames');
% The same message as two frames is a format error for zeromq_sub_recv...
zmqtest_expect_error(@() zeromq_sub_recv(), 'zeromq:INVALID_MESSAGE_FORMAT');
% ...and is what zeromq_sub_recv_multi is for.
f = zeromq_sub_recv_multi({'char', 'char', 'int16', 'double'});
zmqtest_check(numel(f) == 4 && strcmp(f{1}, 'frames') && strcmp(f{2}, 'meta'), 'four frames, text first');
zmqtest_check(isa(f{3}, 'int16') && isequal(f{3}, int16((-3:3)' * 1000)), 'an int16 frame');
zmqtest_check(isa(f{4}, 'double') && isequal(f{4}, [0.5; -2.25; 1e300]), 'a double frame');
f = zeromq_sub_recv_multi();
zmqtest_check(numel(f) == 4 && ischar(f{2}) && isa(f{3}, 'uint8') && numel(f{3}) == 14, ...
              'default frame types: char, char, then uint8');
zeromq_sub_remove_filter('');

announce('scanimage');
pause(0.5);
% Drain what was queued before the phase change, without waiting.
zeromq_set('NOBUSYWAITRECV');
for k = 1:1000
  if isempty(zeromq_sub_recv_multi())
    break;
  end
end
zeromq_set('DEFAULT');
zeromq_sub_add_filter('');
f = zeromq_sub_recv_multi({'double', 'int16'});
header = f{1};
zmqtest_check(numel(f) == 2 && numel(header) == 5, 'a ScanImage message: header and pixels');
nx = header(1);
ny = header(2);
nc = header(3);
img = reshape(f{2}, nx, ny, nc);
[x, y, c] = ndgrid(0:nx - 1, 0:ny - 1, 0:nc - 1);
expected = int16(x * 100 + y - 1000 * c);
zmqtest_check(isequal(size(img), [nx ny nc]) && isequal(img, expected), ...
              sprintf('a %dx%dx%d int16 frame %d', nx, ny, nc, header(5)));
zeromq_stop();
end

function announce(phase)
fprintf('PHASE %s\n', phase);
fflush(stdout);
end
