function v = zmqtest_cube(nx, ny, nz)
% Remote-call test function: an nx-by-ny-by-nz int16 array holding 7*k - 50 for
% k = 0, 1, ... in column-major order.
v = reshape(int16((0:nx * ny * nz - 1) * 7 - 50), nx, ny, nz);
end
